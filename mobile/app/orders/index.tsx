import React from 'react';
import {Pressable, StyleSheet, Text, View} from 'react-native';
import {useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';
import type {TFunction} from 'i18next';

import {formatMoney, Schemas} from '../../src/api/client';
import {useOrders} from '../../src/api/queries';
import {Body, Button, QueryView, Screen, Title} from '../../src/components/ui';
import {useSession} from '../../src/session';
import {colors, fonts, radius, spacing} from '../../src/theme';

export function statusLabel(t: TFunction, status: string): string {
  return t(`orders.status.${status}`, {defaultValue: status});
}

/** How the order reaches the customer: the shipping method (its delivery
 * line) for home delivery, the shop for click & collect. */
export function modeLabel(t: TFunction, order: Schemas['Order']): string {
  const mode = t(`orders.mode.${order.mode}`, {defaultValue: order.mode ?? ''});
  if (order.mode === 'delivery') {
    const shipping = order.delivery?.method ?? order.lines.find((l) => !l.product_id)?.name;
    return shipping ? `${mode} · ${shipping}` : mode;
  }
  return order.shop ? `${mode} · ${order.shop}` : mode;
}

export default function OrdersScreen() {
  const {t, i18n} = useTranslation();
  const router = useRouter();
  const {token} = useSession();
  const orders = useOrders();
  if (!token) {
    return (
      <Screen testID="orders">
        <Title>{t('orders.title')}</Title>
        <Body>{t('orders.loginFirst')}</Body>
        <Button title={t('account.login')} onPress={() => router.push('/account?next=/orders')} />
      </Screen>
    );
  }
  return (
    <Screen testID="orders">
      <Title>{t('orders.title')}</Title>
      <QueryView query={orders}>
        {(list) => list.items.length ? (
          <View style={{gap: spacing.s}}>
            {list.items.map((o) => (
              <Pressable key={o.id} accessibilityRole="link" onPress={() => router.push(`/orders/${o.id}`)}
                style={styles.order} testID={`order-${o.id}`}>
                <Text style={fonts.heading}>{t('orders.number', {number: o.number ?? o.id})}</Text>
                <Text style={fonts.body}>{statusLabel(t, o.status)} · {formatMoney(o.total_amount, i18n.language)}</Text>
                {o.mode ? <Text style={fonts.small} testID={`order-${o.id}-mode`}>{modeLabel(t, o)}</Text> : null}
                {o.created_at ? <Text style={fonts.small}>{new Date(o.created_at).toLocaleDateString(i18n.language)}</Text> : null}
              </Pressable>
            ))}
          </View>
        ) : <Body>{t('orders.empty')}</Body>}
      </QueryView>
    </Screen>
  );
}

const styles = StyleSheet.create({
  order: {padding: spacing.m, borderRadius: radius.m, backgroundColor: colors.surface, borderWidth: 1, borderColor: colors.border, gap: 4},
});
