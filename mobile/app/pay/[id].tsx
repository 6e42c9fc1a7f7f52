// Payment, then confirmation: the order is shown as paid once the server
// got the payment provider's webhook (polled).
import React, {useState} from 'react';
import {useQueryClient} from '@tanstack/react-query';
import {useLocalSearchParams, useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {formatMoney, Schemas} from '../../src/api/client';
import {useMe, useOrder} from '../../src/api/queries';
import {Body, Button, Notice, QueryView, Screen, Title} from '../../src/components/ui';
import {PayButton} from '../../src/payments/PayButton';

const PAID = new Set(['confirmed', 'processing', 'done']);

export default function PayScreen() {
  const {t, i18n} = useTranslation();
  const router = useRouter();
  const {id, payment_intent} = useLocalSearchParams<{id: string; payment_intent?: string}>();
  const client = useQueryClient();
  const payment = client.getQueryData<Schemas['PaymentOut'] & {method?: 'card' | 'bancontact'}>(['payment', Number(id)]);
  const [waiting, setWaiting] = useState(!!payment_intent);
  const order = useOrder(Number(id), true);
  const me = useMe();
  const paid = order.data && PAID.has(order.data.state);
  return (
    <Screen testID="pay-screen">
      <QueryView query={order}>
        {(o) => paid ? (
          <>
            <Title>{t('confirmation.title')}</Title>
            <Body testID="confirmation">{t('confirmation.body', {number: o.number ?? o.id})}</Body>
            {o.mode === 'delivery' ? <Body testID="confirmation-delivery">{t('confirmation.delivery')}</Body>
              : o.shop ? <Body>{t('confirmation.pickup', {shop: o.shop})}</Body> : null}
            <Button title={t('confirmation.orders')} onPress={() => router.replace('/orders')} testID="see-orders" />
          </>
        ) : (
          <>
            <Title>{t('payment.title')}</Title>
            <Body>{t('orders.number', {number: o.number ?? o.id})} · {formatMoney(o.total_amount, i18n.language)}</Body>
            {waiting ? <Notice>{t('payment.processing')}</Notice> : null}
            {payment?.client_secret && !waiting ? (
              <PayButton clientSecret={payment.client_secret}
                method={payment.method ?? 'card'} holder={me.data?.name}
                label={t('payment.pay', {amount: formatMoney(payment.amount, i18n.language)})}
                onPaid={() => setWaiting(true)} />
            ) : null}
            {!payment?.client_secret && !waiting ? <Notice kind="error">{t('payment.unavailable')}</Notice> : null}
          </>
        )}
      </QueryView>
    </Screen>
  );
}
