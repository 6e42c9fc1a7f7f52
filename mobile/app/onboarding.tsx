// Onboarding: the shop's QR code (scanned with the phone's camera, which
// opens urbantherapy://onboarding?code=... or /app?shop=..., or with the
// in-app scanner) or its code typed by hand; the scan is recorded and the
// first-order code kept for the cart.
import React, {useEffect, useState} from 'react';
import {useLocalSearchParams, useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {ApiError} from '../src/api/client';
import {useQrScan} from '../src/api/queries';
import {QrScanner} from '../src/components/QrScanner';
import {Body, Button, errorMessage, Field, Notice, Screen, Title} from '../src/components/ui';
import {setWelcomeCode} from '../src/session';

export default function Onboarding() {
  const {t} = useTranslation();
  const router = useRouter();
  const params = useLocalSearchParams<{code?: string; shop?: string}>();
  const [code, setCode] = useState(params.code ?? params.shop ?? '');
  const scan = useQrScan();
  const submit = (value: string) => scan.mutate(value.trim(), {
    onSuccess: (result) => {
      if (result.first_order_code) setWelcomeCode(result.first_order_code);
    },
  });
  useEffect(() => {
    if (params.code || params.shop) submit(String(params.code ?? params.shop));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <Screen testID="onboarding">
      <Title>{t('onboarding.title')}</Title>
      <Body>{t('onboarding.body')}</Body>
      <QrScanner busy={scan.isPending} onCode={(scanned) => {
        setCode(scanned); // shows which shop code was read
        submit(scanned);
      }} />
      <Field label={t('onboarding.code')} placeholder={t('onboarding.codeHint')} value={code} onChangeText={setCode}
        autoCapitalize="characters" autoCorrect={false} onSubmitEditing={() => submit(code)} testID="shop-code" />
      <Button title={t('onboarding.submit')} onPress={() => submit(code)} disabled={!code.trim()} busy={scan.isPending}
        testID="shop-code-submit" />
      {scan.isError ? (
        <Notice kind="error">
          {scan.error instanceof ApiError && scan.error.status === 404 ? t('onboarding.unknown') : errorMessage(scan.error, t)}
        </Notice>
      ) : null}
      {scan.data ? (
        <Notice kind="success">
          {t('onboarding.done', {shop: scan.data.shop_name, code: scan.data.first_order_code ?? '—'})}
        </Notice>
      ) : null}
      <Button variant="link" title={t('onboarding.skip')} onPress={() => router.replace('/')} />
    </Screen>
  );
}
