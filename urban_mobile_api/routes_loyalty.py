"""/loyalty: points balance and history, rewards, the personal referral code
and engagement preferences; /campaigns/{id}/open: the app reports that a
push campaign was opened. The rules are urban_loyalty's."""
from trytond.pool import Pool

from urban_checkout import cart

from . import api, schemas_loyalty

HISTORY = 50
SHARE = {
    'fr': "Découvre Urban Therapy : avec mon code {code}, -10 % sur ta "
    "première commande dans l'app.",
    'nl': "Ontdek Urban Therapy: met mijn code {code} krijg je -10 % op je "
    "eerste bestelling in de app.",
    'en': "Discover Urban Therapy: with my code {code} you get -10 % off "
    "your first order in the app.",
    }


def _loyalty(party):
    pool = Pool()
    Points = pool.get('urban.loyalty.points')
    from urban_loyalty.configuration import get_config
    cost = get_config().reward_points or 0
    if party:
        balance = Points.balances([party])[party.id]
        lines = Points.search([('party', '=', party.id)], limit=HISTORY)
    else:
        balance, lines = 0, []
    return schemas_loyalty.Loyalty(
        points=balance, reward_points=cost,
        rewards_available=balance // cost if cost > 0 else 0,
        history=[schemas_loyalty.PointsEntry(date=l.date, kind=l.kind,
                points=l.points, description=l.description)
            for l in lines])


@api.endpoint('GET', '/loyalty', summary="Points balance and history",
    tags=['loyalty'], auth='required', response=schemas_loyalty.Loyalty,
    errors=(401,))
def get_loyalty(call):
    """Points earned on purchases in the shops, the app and the web shop,
    spent on rewards"""
    return _loyalty(call.party)


@api.endpoint('POST', '/loyalty/rewards', summary="Redeem points",
    tags=['loyalty'], auth='required', response=schemas_loyalty.Reward,
    status=201, errors=(401, 409))
def redeem_points(call):
    """Spends the reward's points for a single-use coupon code reserved for
    the customer (409 when the balance is too low)"""
    Points = Pool().get('urban.loyalty.points')
    party = cart.customer_party(call.user)
    number = Points.redeem(party)
    balance = Points.balances([party])[party.id]
    spent, = Points.search([('coupon_number', '=', number.id)], limit=1)
    return schemas_loyalty.Reward(code=number.number,
        points_spent=-spent.points, points=balance)


@api.endpoint('GET', '/loyalty/referral', summary="My referral code",
    tags=['loyalty'], auth='required', response=schemas_loyalty.Referral,
    errors=(401, 409), readonly=False)
def get_referral(call):
    """The customer's personal referral code (created on first call) and
    what it earned"""
    Referral = Pool().get('urban.loyalty.referral')
    party = cart.customer_party(call.user)
    number = party.referral_number()
    rewarded = Referral.search([
            ('referrer', '=', party.id), ('state', '=', 'rewarded')])
    return schemas_loyalty.Referral(code=number.number,
        friends_rewarded=len(rewarded),
        points_earned=sum(r.points or 0 for r in rewarded),
        share_text=SHARE[call.language].format(code=number.number))


def _preferences(party):
    return schemas_loyalty.Preferences(
        review_requests=not (party and party.review_opt_out),
        cart_reminders=bool(party and party.cart_reminders),
        favourite_shop=(party.favourite_shop.shop_code
            if party and party.favourite_shop else None))


@api.endpoint('GET', '/loyalty/preferences',
    summary="Engagement preferences", tags=['loyalty'], auth='required',
    response=schemas_loyalty.Preferences, errors=(401,))
def get_preferences(call):
    return _preferences(call.party)


@api.endpoint('PUT', '/loyalty/preferences',
    summary="Change engagement preferences", tags=['loyalty'],
    auth='required', body=schemas_loyalty.Preferences,
    response=schemas_loyalty.Preferences, errors=(401, 422))
def put_preferences(call):
    """Review requests (opt-out), cart reminders (opt-in) and the
    favourite shop that targets campaigns"""
    pool = Pool()
    Party = pool.get('party.party')
    Location = pool.get('stock.location')
    body = call.body
    shop = None
    if body.favourite_shop:
        shops = Location.search([
                ('type', '=', 'warehouse'), ('shop', '=', True),
                ('shop_code', '=', body.favourite_shop),
                ], limit=1)
        if not shops:
            raise api.Problem(422, 'unknown_shop', "Unknown shop",
                "Use a shop code from GET /shops.")
        shop, = shops
    party = cart.customer_party(call.user)
    Party.write([party], {
            'review_opt_out': not body.review_requests,
            'cart_reminders': body.cart_reminders,
            'favourite_shop': shop.id if shop else None,
            })
    return _preferences(Party(party.id))


@api.endpoint('POST', '/campaigns/<id:campaign_id>/open',
    summary="A push campaign was opened", tags=['push'], auth='required',
    status=204, errors=(401, 404))
def open_campaign(call, campaign_id):
    """The app calls it when the customer opens a campaign's notification
    (its data carries campaign_id); counted once per customer"""
    Recipient = Pool().get('urban.loyalty.campaign.recipient')
    if (not call.party or campaign_id > 2 ** 31 - 1
            or not Recipient.mark_opened(campaign_id, call.party)):
        raise api.Problem(404, 'campaign_not_found', "No such campaign",
            "This campaign was not sent to you.")
