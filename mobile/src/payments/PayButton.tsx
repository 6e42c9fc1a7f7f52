// Web fallback of the payment sheet: Stripe.js (URL and publishable key
// from the runtime config) with a card element; Bancontact redirects to the
// bank and back (Stripe wants the account holder's name for it). The order
// page then waits for the webhook-confirmed state. A Stripe.js without
// Bancontact is an error, never a card payment of a Bancontact intent.
import React, {useEffect, useRef, useState} from 'react';
import {View} from 'react-native';
import {useTranslation} from 'react-i18next';

import {stripeJsUrl, stripePublishableKey} from '../config';
import {Body, Button, Field, Notice} from '../components/ui';
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

export function PayButton({clientSecret, method, label, onPaid, holder: holderName}: PayButtonProps) {
  const {t} = useTranslation();
  const [name, setName] = useState(holderName ?? '');
  // the customer's name may arrive after the first render: it fills an
  // empty field when it changes (adjusted while rendering, not in an effect)
  const [previousHolder, setPreviousHolder] = useState(holderName);
  if (holderName !== previousHolder) {
    setPreviousHolder(holderName);
    if (holderName) setName((current) => current || holderName);
  }
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
    let result;
    if (method === 'bancontact') {
      if (!stripe.confirmBancontactPayment) {
        setBusy(false);
        setError(t('payment.bancontactUnavailable'));
        return;
      }
      // the bank's page, then back here with ?payment_intent=…
      result = await stripe.confirmBancontactPayment(clientSecret, {
        payment_method: {billing_details: {name: name.trim()}},
        return_url: globalThis.location?.href,
      });
    } else {
      result = await stripe.confirmCardPayment(clientSecret, {payment_method: {card}});
    }
    setBusy(false);
    if (result.error) setError(t('payment.failed', {message: result.error.message ?? ''}));
    else onPaid();
  };

  return (
    <View style={{gap: 12}}>
      {method === 'card' ? <Body muted>{t('payment.cardLabel')}</Body> : null}
      {method === 'bancontact' ? (
        <Field label={t('payment.bancontactName')} value={name} onChangeText={setName} autoComplete="name" testID="holder" />
      ) : null}
      <View ref={holder} nativeID="card-element" style={{minHeight: method === 'card' ? 44 : 0}} />
      <Button title={label} onPress={pay} busy={busy} disabled={!stripe || (method === 'bancontact' && !name.trim())} testID="pay" />
      {error ? <Notice kind="error">{error}</Notice> : null}
    </View>
  );
}
