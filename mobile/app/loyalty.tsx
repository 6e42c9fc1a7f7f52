// Loyalty: the points balance and its history, rewards bought with points
// (a single-use code for the cart), the personal referral code to share,
// and the engagement preferences (review requests, cart reminders,
// favourite shop for campaigns). The rules live on the server.
import React from 'react';
import {Share, StyleSheet, Text, View} from 'react-native';
import {useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {Schemas} from '../src/api/client';
import {
  useCoupon, useLoyalty, usePreferences, useRedeemReward, useReferral, useShops, useUpdatePreferences,
} from '../src/api/queries';
import {Body, Button, Choice, errorMessage, Heading, Notice, QueryView, Screen, Title, Toggle} from '../src/components/ui';
import {getSession, setWelcomeCode, useSession} from '../src/session';
import {colors, fonts, radius, spacing} from '../src/theme';

function Entry({entry}: {entry: Schemas['PointsEntry']}) {
  const {t, i18n} = useTranslation();
  const date = new Date(entry.date).toLocaleDateString(i18n.language, {timeZone: 'UTC'});
  const points = entry.points > 0 ? `+${entry.points}` : String(entry.points);
  const kind = t(`loyalty.kind.${entry.kind}`);
  return (
    <View style={styles.entry} accessible accessibilityLabel={t('loyalty.entryLabel', {
      date, kind, points, description: entry.description ?? ''})}>
      <View style={{flex: 1, gap: 2}}>
        <Text style={fonts.body}>{kind}</Text>
        <Text style={fonts.small}>{[date, entry.description].filter(Boolean).join(' · ')}</Text>
      </View>
      <Text style={[fonts.body, styles.points, entry.points < 0 && {color: colors.muted}]}>{points}</Text>
    </View>
  );
}

function Reward({code}: {code: string}) {
  const {t} = useTranslation();
  const router = useRouter();
  const coupon = useCoupon();
  const use = () => coupon.mutate({code}, {
    onSuccess: () => router.navigate('/cart'),
    // no cart yet: the code waits and goes into the next cart
    onError: () => {
      if (!getSession().welcomeCode) setWelcomeCode(code);
      router.navigate('/cart');
    },
  });
  return (
    <View role="status" accessibilityLiveRegion="polite" style={styles.reward}>
      <Text style={fonts.body}>{t('loyalty.rewardCode')}</Text>
      <Text selectable style={styles.code} testID="reward-code">{code}</Text>
      <Button variant="secondary" title={t('loyalty.useInCart')} label={t('loyalty.useInCartLabel', {code})}
        busy={coupon.isPending} onPress={use} testID="reward-use" />
      {coupon.isError ? <Body muted>{t('loyalty.codeWaits')}</Body> : null}
    </View>
  );
}

function Points() {
  const {t} = useTranslation();
  const loyalty = useLoyalty();
  const redeem = useRedeemReward();
  return (
    <QueryView query={loyalty}>
      {(data) => (
        <>
          <View style={styles.balance} accessible accessibilityLabel={t('loyalty.balanceLabel', {count: data.points})}>
            <Text style={styles.balanceFigure} testID="points-balance">{data.points}</Text>
            <Text style={fonts.body}>{t('loyalty.points')}</Text>
          </View>
          <Heading>{t('loyalty.rewards')}</Heading>
          <Body muted>{t('loyalty.rewardRule', {points: data.reward_points})}</Body>
          {data.rewards_available > 0 ? (
            <Button title={t('loyalty.redeem', {points: data.reward_points})} busy={redeem.isPending}
              onPress={() => redeem.mutate()} testID="redeem" />
          ) : (
            <Body testID="no-reward">{t('loyalty.notEnough', {missing: Math.max(data.reward_points - data.points, 0)})}</Body>
          )}
          {redeem.isError ? <Notice kind="error">{errorMessage(redeem.error, t)}</Notice> : null}
          {redeem.data ? <Reward code={redeem.data.code} /> : null}
          <Heading>{t('loyalty.history')}</Heading>
          {data.history.length ? data.history.map((entry, index) => <Entry key={index} entry={entry} />)
            : <Body muted>{t('loyalty.noHistory')}</Body>}
        </>
      )}
    </QueryView>
  );
}

function Referral() {
  const {t} = useTranslation();
  const referral = useReferral();
  return (
    <>
      <Heading>{t('loyalty.referral')}</Heading>
      <Body>{t('loyalty.referralRule')}</Body>
      <QueryView query={referral}>
        {(data) => (
          <>
            <Text selectable style={styles.code} accessibilityLabel={t('loyalty.referralCode', {code: data.code})}
              testID="referral-code">{data.code}</Text>
            <Button variant="secondary" title={t('loyalty.share')} label={t('loyalty.shareLabel')} testID="referral-share"
              onPress={() => Share.share({message: data.share_text}).catch(() => undefined)} />
            <Body muted>{t('loyalty.referralEarned', {count: data.friends_rewarded, points: data.points_earned})}</Body>
          </>
        )}
      </QueryView>
    </>
  );
}

function Preferences() {
  const {t} = useTranslation();
  const preferences = usePreferences();
  const update = useUpdatePreferences();
  const shops = useShops();
  return (
    <>
      <Heading>{t('loyalty.preferences')}</Heading>
      <QueryView query={preferences}>
        {(current) => {
          const change = (patch: Partial<Schemas['Preferences']>) => update.mutate({...current, ...patch});
          return (
            <>
              <Toggle label={t('loyalty.reviewRequests')} value={current.review_requests} testID="pref-reviews"
                onChange={(value) => change({review_requests: value})} />
              <Toggle label={t('loyalty.cartReminders')} value={current.cart_reminders} testID="pref-cart"
                onChange={(value) => change({cart_reminders: value})} />
              <Body muted>{t('loyalty.favouriteShop')}</Body>
              <View role="radiogroup" style={styles.row}>
                <Choice label={t('loyalty.noShop')} selected={!current.favourite_shop}
                  onPress={() => change({favourite_shop: null})} />
                {(shops.data?.items ?? []).map((shop) => (
                  <Choice key={shop.code} label={shop.name} selected={current.favourite_shop === shop.code}
                    testID={`pref-shop-${shop.code}`} onPress={() => change({favourite_shop: shop.code})} />
                ))}
              </View>
              <Body muted>{t('loyalty.campaignsHint')}</Body>
              {update.isError ? <Notice kind="error">{errorMessage(update.error, t)}</Notice> : null}
            </>
          );
        }}
      </QueryView>
    </>
  );
}

export default function LoyaltyScreen() {
  const {t} = useTranslation();
  const router = useRouter();
  const {token} = useSession();
  return (
    <Screen testID="loyalty">
      <Title>{t('loyalty.title')}</Title>
      {token ? (
        <>
          <Points />
          <Referral />
          <Preferences />
        </>
      ) : (
        <>
          <Body>{t('loyalty.loginFirst')}</Body>
          <Button title={t('account.login')} onPress={() => router.navigate('/account?next=/loyalty')} />
        </>
      )}
    </Screen>
  );
}

const styles = StyleSheet.create({
  balance: {padding: spacing.l, borderRadius: radius.l, backgroundColor: colors.surface, alignItems: 'center', gap: spacing.xs},
  balanceFigure: {fontSize: 40, fontWeight: '700', color: colors.primary},
  points: {fontWeight: '700', minWidth: 56, textAlign: 'right'},
  entry: {flexDirection: 'row', alignItems: 'center', gap: spacing.m, paddingVertical: spacing.s,
    borderBottomWidth: 1, borderBottomColor: colors.border},
  code: {fontSize: 22, fontWeight: '700', letterSpacing: 1, color: colors.text},
  reward: {padding: spacing.m, borderRadius: radius.m, backgroundColor: '#DCE8D5', gap: spacing.s},
  row: {flexDirection: 'row', flexWrap: 'wrap', gap: spacing.s},
});
