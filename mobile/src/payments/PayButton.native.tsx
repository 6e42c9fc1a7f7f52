// Native: Stripe's payment sheet (card, Bancontact, Apple/Google Pay).
import React, {useState} from 'react';
import {StripeProvider, useStripe} from '@stripe/stripe-react-native';
import {useTranslation} from 'react-i18next';

import {stripePublishableKey} from '../config';
import {Button, Notice} from '../components/ui';
import type {PayButtonProps} from './types';

function Sheet({clientSecret, label, onPaid}: PayButtonProps) {
  const {t} = useTranslation();
  const {initPaymentSheet, presentPaymentSheet} = useStripe();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pay = async () => {
    setBusy(true);
    setError(null);
    const init = await initPaymentSheet({
      paymentIntentClientSecret: clientSecret, merchantDisplayName: 'Urban Therapy',
      returnURL: 'urbantherapy://stripe-redirect', allowsDelayedPaymentMethods: true,
    });
    const result = init.error ? init : await presentPaymentSheet();
    setBusy(false);
    if (result.error) {
      if (result.error.code !== 'Canceled') setError(t('payment.failed', {message: result.error.message}));
    } else onPaid();
  };
  return (
    <>
      <Button title={label} onPress={pay} busy={busy} testID="pay" />
      {error ? <Notice kind="error">{error}</Notice> : null}
    </>
  );
}

export function PayButton(props: PayButtonProps) {
  const {t} = useTranslation();
  const key = stripePublishableKey();
  if (!key) return <Notice kind="error">{t('payment.unavailable')}</Notice>;
  return (
    <StripeProvider publishableKey={key} urlScheme="urbantherapy" merchantIdentifier="merchant.be.urbantherapy">
      <Sheet {...props} />
    </StripeProvider>
  );
}
