import React, {useState} from 'react';
import {StyleSheet, Text, View} from 'react-native';
import {useLocalSearchParams} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {formatMoney, Schemas} from '../../src/api/client';
import {useCancelOrder, useOrder, useReturnRequest} from '../../src/api/queries';
import {Body, Button, Choice, errorMessage, Field, Heading, Notice, QueryView, Screen, Title} from '../../src/components/ui';
import {colors, fonts, spacing} from '../../src/theme';
import {modeLabel, statusLabel} from './index';

function ReturnForm({order}: {order: Schemas['Order']}) {
  const {t} = useTranslation();
  const request = useReturnRequest();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [reason, setReason] = useState('');
  const lines = order.lines.filter((l) => l.product_id);
  if (request.data) return <Notice kind="success">{t('orders.returnDone', {id: request.data.id})}</Notice>;
  if (!open) return <Button variant="secondary" title={t('orders.return')} onPress={() => setOpen(true)} />;
  return (
    <View style={{gap: spacing.s}}>
      <Heading>{t('orders.return')}</Heading>
      {lines.map((l) => (
        <Choice key={l.product_id!} label={`${l.variant_label ? `${l.name}, ${l.variant_label}` : l.name} × ${l.quantity}`} selected={chosen.has(l.product_id!)}
          onPress={() => {
            const next = new Set(chosen);
            if (next.has(l.product_id!)) next.delete(l.product_id!);
            else next.add(l.product_id!);
            setChosen(next);
          }} />
      ))}
      <Field label={t('orders.returnReason')} value={reason} onChangeText={setReason} multiline />
      <Button title={t('orders.returnSend')} disabled={!chosen.size || !reason.trim()} busy={request.isPending}
        onPress={() => request.mutate({id: order.id, body: {reason: reason.trim(), lines: lines
          .filter((l) => chosen.has(l.product_id!))
          .map((l) => ({product_id: l.product_id!, quantity: Math.max(1, Math.floor(l.quantity))}))}})} />
      {request.isError ? <Notice kind="error">{errorMessage(request.error, t)}</Notice> : null}
    </View>
  );
}

function DeliveryDetails({delivery}: {delivery: Schemas['OrderDelivery']}) {
  const {t, i18n} = useTranslation();
  const a = delivery.address;
  const address = [a.street, [a.postal_code, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return (
    <View style={{gap: spacing.xs}} testID="order-delivery">
      <Heading>{t('orders.delivery')}</Heading>
      <Body>{delivery.method} · {formatMoney(delivery.price, i18n.language)}</Body>
      {delivery.service_point ? <Body>{t('orders.relayPoint', {point: delivery.service_point})}</Body> : null}
      <Body muted>{t(delivery.service_point ? 'orders.customerAddress' : 'orders.deliveredTo', {address})}</Body>
    </View>
  );
}

function OrderView({order}: {order: Schemas['Order']}) {
  const {t, i18n} = useTranslation();
  const cancel = useCancelOrder();
  const returnable = ['collected', 'delivered', 'done', 'shipped'].includes(order.status);
  const cancellable = ['quotation', 'draft', 'confirmed', 'processing'].includes(order.state)
    && !['ready_for_pickup', 'collected', 'expired', 'shipped', 'delivered', 'refunded'].includes(order.status);
  // not collected in time: the goods are back on sale and the payment is
  // refunded in full (a refunded step follows once the provider made it)
  const expiredAt = order.timeline.findIndex((e) => e.status === 'expired');
  const expired = expiredAt >= 0 ? order.timeline[expiredAt] : null;
  const refunded = expiredAt >= 0 && order.timeline.slice(expiredAt + 1).some((e) => e.status === 'refunded');
  const amount = formatMoney(order.total_amount, i18n.language);
  return (
    <>
      <Title>{t('orders.number', {number: order.number ?? order.id})}</Title>
      <Body testID="order-status">{statusLabel(t, order.status)}</Body>
      {/* a delivery has its own block (method, price, point, address) */}
      {order.delivery ? <DeliveryDetails delivery={order.delivery} />
        : order.mode ? <Body muted testID="order-mode">{modeLabel(t, order)}</Body> : null}
      {/* click & collect still to come: when it can be collected */}
      {order.ready_by && !order.delivery && ['placed', 'paid', 'preparing'].includes(order.status) ? (
        <Body muted testID="order-ready-by">
          {t('checkout.readyBy', {date: new Date(order.ready_by).toLocaleDateString(i18n.language)})}
        </Body>
      ) : null}
      {expired ? (
        <Notice>
          {t('orders.expiredNotice', {shop: expired.detail ?? order.shop ?? ''})}{' '}
          {t(refunded ? 'orders.expiredRefunded' : 'orders.expiredRefunding', {amount})}
        </Notice>
      ) : null}
      {order.lines.map((l, i) => (
        <View key={i} style={styles.line}>
          <Text style={[fonts.body, {flex: 1}]}>{l.variant_label ? `${l.name}, ${l.variant_label}` : l.name} × {l.quantity}</Text>
          <Text style={fonts.body}>{formatMoney(l.amount, i18n.language)}</Text>
        </View>
      ))}
      <View style={styles.line}>
        <Text style={[fonts.body, {fontWeight: '700'}]}>{t('orders.total')}</Text>
        <Text style={[fonts.body, {fontWeight: '700'}]}>{formatMoney(order.total_amount, i18n.language)}</Text>
      </View>
      <Heading>{t('orders.timeline')}</Heading>
      <View accessibilityRole="list" style={{gap: spacing.s}}>
        {order.timeline.map((e, i) => (
          <View key={i} style={styles.event}>
            <View style={styles.dot} />
            <View style={{flex: 1}}>
              <Text style={fonts.body}>{statusLabel(t, e.status)}</Text>
              {e.at ? <Text style={fonts.small}>{new Date(e.at).toLocaleString(i18n.language)}</Text> : null}
              {e.detail ? <Text style={fonts.small}>{e.detail}</Text> : null}
            </View>
          </View>
        ))}
      </View>
      {cancellable ? <Button variant="secondary" title={t('orders.cancel')} busy={cancel.isPending} onPress={() => cancel.mutate(order.id)} /> : null}
      {cancel.isError ? <Notice kind="error">{errorMessage(cancel.error, t)}</Notice> : null}
      {returnable ? <ReturnForm order={order} /> : null}
    </>
  );
}

export default function OrderScreen() {
  const {id} = useLocalSearchParams<{id: string}>();
  const order = useOrder(Number(id));
  return (
    <Screen testID="order">
      <QueryView query={order}>{(o) => <OrderView order={o} />}</QueryView>
    </Screen>
  );
}

const styles = StyleSheet.create({
  line: {flexDirection: 'row', justifyContent: 'space-between', gap: spacing.s},
  event: {flexDirection: 'row', gap: spacing.s, alignItems: 'flex-start'},
  dot: {width: 12, height: 12, borderRadius: 6, backgroundColor: colors.accent, marginTop: 5},
});
