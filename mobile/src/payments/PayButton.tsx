// Web fallback of the payment sheet: Stripe.js (URL and publishable key
// from the runtime config) with a card element; Bancontact redirects to the
// bank and back. The order page then waits for the webhook-confirmed state.
import React, {useEffect, useRef, useState} from 'react';
import {View} from 'react-native';
import {useTranslation} from 'react-i18next';

import {stripeJsUrl, stripePublishableKey} from '../config';
import {Body, Button, Notice} from '../components/ui';
import type {PayButtonProps} from './types';

type StripeJs = {
  elements: () => {create: (type: string, options?: object) => {mount: (el: HTMLElement) => void}};
  confirmCardPayment: (secret: string, data?: object) => Promise<{error?: {message?: string}; paymentIntent?: {status: string}}>;
  confirmBancontactPayment?: (secret: string, data?: object) => Promise<{error?: {message?: string}}>;
};

let loading: Promise<void> | null = null;

function loadStripe(): Promise<(key: string) => StripeJs> {
  const w = globalThis as unknown as {Stripe?: (key: string) => StripeJs; document?: Document};
  if (w.Stripe) return Promise.resolve(w.Stripe);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = w.document!.createElement('script');
      script.src = stripeJsUrl();
      script.onload = () => resolve();
      script.onerror = () => {
        loading = null;
        reject(new Error('Stripe.js'));
      };
      w.document!.head.appendChild(script);
    });
  }
  return loading.then(() => w.Stripe!);
}

export function PayButton({clientSecret, method, label, onPaid}: PayButtonProps) {
  const {t} = useTranslation();
  const [stripe, setStripe] = useState<StripeJs | null>(null);
  const [card, setCard] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const holder = useRef<View>(null);
  const key = stripePublishableKey();

  useEffect(() => {
    if (!key) return;
    let alive = true;
    loadStripe().then((factory) => {
      if (!alive) return;
      const instance = factory(key);
      setStripe(instance);
      if (method === 'card') {
        const element = instance.elements().create('card', {hidePostalCode: true});
        const node = holder.current as unknown as HTMLElement | null;
        if (node) element.mount(node);
        setCard(element);
      }
    }).catch(() => alive && setError(t('payment.unavailable')));
    return () => {
      alive = false;
    };
  }, [key, method, t]);

  if (!key) return <Notice kind="error">{t('payment.unavailable')}</Notice>;

  const pay = async () => {
    if (!stripe) return;
    setBusy(true);
    setError(null);
    const returnUrl = globalThis.location?.href;
    const result = method === 'bancontact' && stripe.confirmBancontactPayment
      ? await stripe.confirmBancontactPayment(clientSecret, {return_url: returnUrl})
      : await stripe.confirmCardPayment(clientSecret, {payment_method: {card}});
    setBusy(false);
    if (result.error) setError(t('payment.failed', {message: result.error.message ?? ''}));
    else onPaid();
  };

  return (
    <View style={{gap: 12}}>
      {method === 'card' ? <Body muted>{t('payment.cardLabel')}</Body> : null}
      <View ref={holder} nativeID="card-element" style={{minHeight: method === 'card' ? 44 : 0}} />
      <Button title={label} onPress={pay} busy={busy} disabled={!stripe} testID="pay" />
      {error ? <Notice kind="error">{error}</Notice> : null}
    </View>
  );
}
