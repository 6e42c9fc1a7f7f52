import React, {useEffect, useMemo, useRef, useState} from 'react';
import {StyleSheet, View} from 'react-native';
import {useQueryClient} from '@tanstack/react-query';
import {useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {ApiError, formatMoney, Schemas} from '../src/api/client';
import {useCart, useCheckoutOptions, usePlaceOrder, useServicePoints, useShops} from '../src/api/queries';
import {Body, Button, Choice, errorMessage, Field, Heading, Notice, QueryView, Screen, Title} from '../src/components/ui';
import {distanceKm, usePosition} from '../src/geo';
import {useSession} from '../src/session';
import {spacing} from '../src/theme';

type Mode = 'click_collect' | 'delivery';

/** The fields a 422 answer of POST /checkout blames (last part of each
 * error's loc: 'phone', 'street', 'postal_code', ...). */
export function blamedFields(error: unknown): Set<string> {
  const fields = new Set<string>();
  if (!(error instanceof ApiError) || error.status !== 422) return fields;
  for (const item of error.problem?.errors ?? []) {
    const loc = (item as {loc?: unknown[]}).loc;
    if (Array.isArray(loc) && loc.length) fields.add(String(loc[loc.length - 1]));
  }
  return fields;
}

function newKey() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function ShopPicker({options, value, onChange}: {
  options: Schemas['PickupOption'][]; value: string | null; onChange: (code: string) => void;
}) {
  const {t, i18n} = useTranslation();
  const shops = useShops();
  const position = usePosition();
  const sorted = useMemo(() => {
    const coords = new Map((shops.data?.items ?? []).map((s) => [s.code, s.coordinates]));
    const withDistance = options.map((o) => {
      const c = coords.get(o.shop);
      return {option: o, km: position && c ? distanceKm(position, c) : null};
    });
    const rank = (o: Schemas['PickupOption']) => (o.available ? 2 : o.transfer ? 1 : 0);
    return withDistance.sort((a, b) => rank(b.option) - rank(a.option)
      || (a.km ?? 0) - (b.km ?? 0) || a.option.name.localeCompare(b.option.name));
  }, [options, shops.data, position]);
  return (
    <View role="radiogroup" accessibilityLabel={t('checkout.pickShop')} style={styles.list}>
      {sorted.map(({option, km}) => {
        const details = [
          (option.available || option.transfer) && option.ready_by
            ? t('checkout.readyBy', {date: new Date(option.ready_by).toLocaleDateString(i18n.language)}) : null,
          option.available || option.transfer ? null : t('checkout.unavailable'),
          option.transfer ? t('checkout.transfer') : null,
          km !== null ? t('checkout.distance', {km: km.toFixed(1)}) : null,
        ].filter(Boolean).join(' · ');
        return (
          <Choice key={option.shop} label={option.name} detail={details} selected={value === option.shop}
            disabled={!option.available && !option.transfer} onPress={() => onChange(option.shop)} testID={`shop-${option.shop}`} />
        );
      })}
    </View>
  );
}

function RelayPoints({carrier, postalCode, point, setPoint}: {
  carrier: string; postalCode: string; point: string | null; setPoint: (p: string | null) => void;
}) {
  const {t} = useTranslation();
  const [draft, setDraft] = useState('');
  // points near the delivery address, until another postal code is searched
  const [searched, setSearched] = useState<string | null>(null);
  const code = searched ?? postalCode.trim();
  const points = useServicePoints(code, carrier);
  // a point chosen in another list is not offered any more
  useEffect(() => setPoint(null), [code, setPoint]);
  const search = () => setSearched(draft.trim() || null);
  return (
    <>
      <Heading>{t('checkout.relay')}</Heading>
      <View style={styles.search}>
        <View style={{flex: 1}}>
          <Field label={t('checkout.relayPostalCode')} value={draft} placeholder={postalCode} keyboardType="number-pad"
            onChangeText={setDraft} onSubmitEditing={search} testID="relay-postal-code" />
        </View>
        <Button title={t('checkout.relaySearch')} variant="secondary" onPress={search} testID="relay-search" />
      </View>
      {points.data ? (
        points.data.items.length ? (
          <View role="radiogroup" accessibilityLabel={t('checkout.relay')} style={styles.list}>
            {points.data.items.map((p) => (
              <Choice key={p.id} label={p.name} selected={point === p.id} onPress={() => setPoint(p.id)} testID={`point-${p.id}`}
                detail={[p.address.street, [p.address.postal_code, p.address.city].filter(Boolean).join(' '),
                  p.distance_m != null ? t('checkout.distance', {km: (p.distance_m / 1000).toFixed(1)}) : null]
                  .filter(Boolean).join(' · ')} />
            ))}
          </View>
        ) : <Body testID="relay-none">{t('checkout.relayNone')}</Body>
      ) : points.isError ? <Notice kind="error">{errorMessage(points.error, t)}</Notice>
        : points.isFetching ? <Body muted>{t('common.loading')}</Body> : null}
    </>
  );
}

function Delivery({options, method, setMethod, address, setAddress, point, setPoint, blamed}: {
  options: Schemas['DeliveryOption'][]; method: string | null; setMethod: (m: string) => void;
  address: Schemas['Address']; setAddress: (a: Schemas['Address']) => void;
  point: string | null; setPoint: (p: string | null) => void; blamed: Set<string>;
}) {
  const {t, i18n} = useTranslation();
  const chosen = options.find((o) => o.method === method);
  const invalid = (name: string) => (blamed.has(name) ? t('checkout.invalidField') : null);
  return (
    <>
      <Heading>{t('checkout.method')}</Heading>
      {options.length ? (
        <View role="radiogroup" accessibilityLabel={t('checkout.method')} style={styles.list}>
          {options.map((o) => (
            <Choice key={o.method} label={o.name} detail={formatMoney(o.price, i18n.language)} selected={method === o.method}
              onPress={() => {
                setMethod(o.method);
                setPoint(null);
              }} testID={`method-${o.method}`} />
          ))}
        </View>
      ) : <Body>{t('checkout.noDelivery')}</Body>}
      <Heading>{t('checkout.address')}</Heading>
      <Field label={t('checkout.street')} value={address.street ?? ''} autoComplete="street-address" testID="street"
        error={invalid('street')} onChangeText={(street) => setAddress({...address, street})} />
      <Field label={t('checkout.postalCode')} value={address.postal_code ?? ''} keyboardType="number-pad" autoComplete="postal-code"
        testID="postal-code" error={invalid('postal_code')} onChangeText={(postal_code) => setAddress({...address, postal_code})} />
      <Field label={t('checkout.city')} value={address.city ?? ''} testID="city" error={invalid('city')}
        onChangeText={(city) => setAddress({...address, city})} />
      {chosen?.service_point ? (
        // remounted for another carrier: a new search
        <RelayPoints key={chosen.method} carrier={chosen.carrier} postalCode={address.postal_code ?? ''}
          point={point} setPoint={setPoint} />
      ) : null}
    </>
  );
}

export default function CheckoutScreen() {
  const {t, i18n} = useTranslation();
  const router = useRouter();
  const client = useQueryClient();
  const {token} = useSession();
  const cart = useCart();
  const checkoutOptions = useCheckoutOptions(!!token);
  const place = usePlaceOrder();
  const key = useRef(newKey());
  const [mode, setMode] = useState<Mode>('click_collect');
  const [shop, setShop] = useState<string | null>(null);
  const [phone, setPhone] = useState('');
  const [method, setMethod] = useState<string | null>(null);
  const [point, setPoint] = useState<string | null>(null);
  const [address, setAddress] = useState<Schemas['Address']>({country: 'BE'});
  const [payment, setPayment] = useState<'card' | 'bancontact'>('bancontact');
  const [problem, setProblem] = useState<string | null>(null);
  const blamed = blamedFields(place.error);
  const phoneError = blamed.has('phone') ? t('checkout.invalidPhone') : null;

  const submit = () => {
    setProblem(null);
    if (mode === 'click_collect' && !shop) return setProblem(t('checkout.missingShop'));
    if (!phone.trim()) return setProblem(t('checkout.missingPhone'));
    if (mode === 'delivery' && (!method || !address.street || !address.postal_code || !address.city)) {
      return setProblem(t('checkout.missingAddress'));
    }
    const needsPoint = mode === 'delivery' && checkoutOptions.data?.delivery.find((o) => o.method === method)?.service_point;
    if (needsPoint && !point) return setProblem(t('checkout.missingRelay'));
    const body: Schemas['CheckoutIn'] = mode === 'click_collect'
      ? {mode, shop, phone: phone.trim(), payment_provider: 'stripe', payment_method: payment}
      : {mode, shipping_method: method, service_point: point, address, phone: phone.trim(),
        payment_provider: 'stripe', payment_method: payment};
    place.mutate({body, key: key.current}, {
      onSuccess: (answer) => {
        client.setQueryData(['payment', answer.order.id], {...answer.payment, method: payment});
        key.current = newKey();
        router.replace(`/pay/${answer.order.id}`);
      },
    });
  };

  if (!token) {
    return (
      <Screen testID="checkout-screen">
        <Notice>{t('cart.loginFirst')}</Notice>
        <Button title={t('account.login')} onPress={() => router.replace('/account?next=/checkout')} />
      </Screen>
    );
  }
  return (
    <Screen testID="checkout-screen">
      <Title>{t('checkout.title')}</Title>
      <View role="radiogroup" style={styles.row}>
        <Choice label={t('checkout.clickCollect')} selected={mode === 'click_collect'} onPress={() => setMode('click_collect')} testID="mode-click-collect" />
        <Choice label={t('checkout.delivery')} selected={mode === 'delivery'} onPress={() => setMode('delivery')} testID="mode-delivery" />
      </View>
      <QueryView query={checkoutOptions}>
        {(data) => mode === 'click_collect' ? (
          <>
            <Heading>{t('checkout.pickShop')}</Heading>
            <ShopPicker options={data.click_collect} value={shop} onChange={setShop} />
          </>
        ) : (
          <Delivery options={data.delivery} method={method} setMethod={setMethod} address={address}
            setAddress={setAddress} point={point} setPoint={setPoint} blamed={blamed} />
        )}
      </QueryView>
      <Field label={t('checkout.phone')} placeholder={t('checkout.phoneHint')} value={phone}
        onChangeText={(value) => {
          setPhone(value);
          if (phoneError) place.reset();
        }}
        error={phoneError} keyboardType="phone-pad" autoComplete="tel" testID="phone" />
      <Heading>{t('checkout.payment')}</Heading>
      <View role="radiogroup" style={styles.row}>
        <Choice label={t('checkout.bancontact')} selected={payment === 'bancontact'} onPress={() => setPayment('bancontact')} testID="pay-bancontact" />
        <Choice label={t('checkout.card')} selected={payment === 'card'} onPress={() => setPayment('card')} testID="pay-card" />
      </View>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {place.isError ? <Notice kind="error">{blamed.size ? t('checkout.checkFields') : errorMessage(place.error, t)}</Notice> : null}
      <Button title={t('checkout.place', {amount: formatMoney(cart.data?.total_amount, i18n.language)})}
        onPress={submit} busy={place.isPending} testID="place-order" />
    </Screen>
  );
}

const styles = StyleSheet.create({
  list: {gap: spacing.s},
  row: {flexDirection: 'row', flexWrap: 'wrap', gap: spacing.s},
  search: {flexDirection: 'row', alignItems: 'flex-end', gap: spacing.s},
});
