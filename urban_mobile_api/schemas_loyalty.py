"Request and response models of /loyalty and /campaigns."
import datetime as dt
from typing import Literal

from pydantic import Field

from .schemas import Model


class PointsEntry(Model):
    date: dt.date
    kind: Literal['earn', 'redeem', 'referral', 'adjust', 'reverse'] = Field(
        description="earn: a purchase; redeem: a reward; referral: a friend's "
        "first order; adjust: a correction; reverse: a purchase cancelled "
        "or returned (its points taken back, never below a zero balance)")
    points: int = Field(description="Points earned (positive) or spent")
    description: str | None = None


class Loyalty(Model):
    points: int = Field(description="Current points balance")
    reward_points: int = Field(description="Points one reward costs")
    rewards_available: int = Field(
        description="Rewards the balance can buy now")
    history: list[PointsEntry] = Field(
        description="The latest movements, newest first (at most 50)")


class Reward(Model):
    code: str = Field(description="Single-use coupon code, reserved for "
        "this customer: apply it with POST /cart/coupons",
        examples=['PTS-7KQ2M9XA'])
    points_spent: int
    points: int = Field(description="Balance after the redemption")


class Referral(Model):
    code: str = Field(description="Personal referral code: a friend gets "
        "the referral discount on a first order", examples=['ANNA-4KX9Q'])
    friends_rewarded: int = Field(
        description="Friends whose first order earned points")
    points_earned: int = Field(description="Points earned by referrals")
    share_text: str = Field(description="Ready-to-share message in the "
        "request language")


class Preferences(Model):
    review_requests: bool = Field(
        description="Receive a review request after a shop purchase")
    cart_reminders: bool = Field(
        description="Be reminded of an idle cart by push")
    favourite_shop: str | None = Field(None, max_length=16,
        pattern=r'^[A-Za-z0-9_-]+$',
        description="Shop code of the favourite shop (null for none)",
        examples=['GNT'])
