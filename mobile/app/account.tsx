import React, {useEffect, useState} from 'react';
import {StyleSheet, View} from 'react-native';
import {useLocalSearchParams, useRouter} from 'expo-router';
import {useTranslation} from 'react-i18next';

import {ApiError} from '../src/api/client';
import {
  useDeleteAccount, useLogin, useLogout, useMe, usePasswordReset, useRegister, useUpdateMe,
} from '../src/api/queries';
import {Body, Button, Choice, errorMessage, Field, Heading, Notice, QueryView, Screen, Title} from '../src/components/ui';
import {currentLanguage, Language, LANGUAGES} from '../src/i18n';
import {enablePush, pushStatus, PushStatus} from '../src/push';
import {setLanguage, useSession} from '../src/session';
import {spacing} from '../src/theme';

const LANGUAGE_NAMES: Record<Language, string> = {fr: 'Français', nl: 'Nederlands', en: 'English'};

function LanguagePicker() {
  const {t} = useTranslation();
  const {token} = useSession();
  const update = useUpdateMe();
  const lang = currentLanguage();
  return (
    <>
      <Heading>{t('common.language')}</Heading>
      <View role="radiogroup" style={styles.row}>
        {LANGUAGES.map((l) => (
          <Choice key={l} label={LANGUAGE_NAMES[l]} selected={lang === l} testID={`lang-${l}`}
            onPress={() => {
              setLanguage(l);
              if (token) update.mutate({language: l});
            }} />
        ))}
      </View>
    </>
  );
}

function Notifications() {
  const {t} = useTranslation();
  const [status, setStatus] = useState<PushStatus>('unsupported');
  const [topics, setTopics] = useState<string[]>(['orders']);
  useEffect(() => {
    pushStatus().then(setStatus);
  }, []);
  if (status === 'unsupported') return null;
  const toggle = (topic: string) => setTopics(topics.includes(topic) ? topics.filter((x) => x !== topic) : [...topics, topic]);
  return (
    <>
      <Heading>{t('account.notifications')}</Heading>
      {[['orders', 'account.notifOrders'], ['promotions', 'account.notifPromotions'], ['new_arrivals', 'account.notifNew']].map(([topic, key]) => (
        <Choice key={topic} label={t(key)} selected={topics.includes(topic)} onPress={() => toggle(topic)} />
      ))}
      {status === 'denied' ? <Notice>{t('account.pushDenied')}</Notice> : <Body muted>{t('account.pushAsk')}</Body>}
      <Button variant="secondary" title={t('account.pushEnable')} onPress={() => enablePush(topics).then(setStatus)} />
    </>
  );
}

function LoggedIn() {
  const {t} = useTranslation();
  const me = useMe();
  const update = useUpdateMe();
  const logout = useLogout();
  const remove = useDeleteAccount();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  return (
    <QueryView query={me}>
      {(user) => (
        <>
          <Title>{t('account.hello', {name: user.name})}</Title>
          <Body muted>{user.email}</Body>
          <Button variant="secondary" title={t('account.loyalty')} label={t('account.loyaltyLabel')}
            onPress={() => router.push('/loyalty')} testID="open-loyalty" />
          <Choice label={t('account.marketing')} selected={user.consent.marketing}
            onPress={() => update.mutate({marketing_consent: !user.consent.marketing})} />
          <LanguagePicker />
          <Notifications />
          <Button variant="secondary" title={t('account.logout')} onPress={() => logout.mutate()} testID="logout" />
          {confirming ? (
            <Button title={t('account.deleteConfirm')} busy={remove.isPending} onPress={() => remove.mutate()} testID="delete-confirm" />
          ) : (
            <Button variant="link" title={t('account.delete')} onPress={() => setConfirming(true)} />
          )}
          {remove.isError ? <Notice kind="error">{errorMessage(remove.error, t)}</Notice> : null}
        </>
      )}
    </QueryView>
  );
}

function LoginForm() {
  const {t} = useTranslation();
  const [mode, setMode] = useState<'login' | 'register' | 'reset'>('register');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [marketing, setMarketing] = useState(false);
  const login = useLogin();
  const register = useRegister();
  const reset = usePasswordReset();
  const failure = mode === 'login' ? login.error : register.error;
  return (
    <>
      <Title>{mode === 'login' ? t('account.login') : mode === 'register' ? t('account.register') : t('account.reset')}</Title>
      {mode === 'register' ? <Field label={t('account.name')} value={name} onChangeText={setName} autoComplete="name" testID="name" /> : null}
      <Field label={t('account.email')} value={email} onChangeText={setEmail} autoCapitalize="none" keyboardType="email-address"
        autoComplete="email" testID="email" />
      {mode !== 'reset' ? (
        <Field label={t('account.password')} value={password} onChangeText={setPassword} secureTextEntry
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'} testID="password" />
      ) : null}
      {mode === 'register' ? <Choice label={t('account.marketing')} selected={marketing} onPress={() => setMarketing(!marketing)} /> : null}
      {mode === 'login' ? (
        <Button title={t('account.login')} busy={login.isPending} testID="submit-login"
          onPress={() => login.mutate({email: email.trim(), password})} />
      ) : mode === 'register' ? (
        <Button title={t('account.register')} busy={register.isPending} testID="submit-register"
          onPress={() => register.mutate({email: email.trim(), password, name: name.trim(), marketing_consent: marketing,
            language: currentLanguage()})} />
      ) : (
        <Button title={t('account.reset')} busy={reset.isPending} onPress={() => reset.mutate(email.trim())} />
      )}
      {mode !== 'reset' && failure ? (
        <Notice kind="error">
          {failure instanceof ApiError && failure.status === 401 ? t('account.invalid') : errorMessage(failure, t)}
        </Notice>
      ) : null}
      {mode === 'reset' && reset.isSuccess ? <Notice kind="success">{t('account.resetSent')}</Notice> : null}
      <Button variant="link" title={mode === 'register' ? t('account.haveAccount') : t('account.noAccount')}
        onPress={() => setMode(mode === 'register' ? 'login' : 'register')} testID="switch-mode" />
      {mode === 'login' ? <Button variant="link" title={t('account.reset')} onPress={() => setMode('reset')} /> : null}
      <LanguagePicker />
    </>
  );
}

export default function AccountScreen() {
  const {token} = useSession();
  const router = useRouter();
  const {next} = useLocalSearchParams<{next?: string}>();
  useEffect(() => {
    // logged in from the cart or the orders: back where the customer was going
    if (token && next && next.startsWith('/')) router.replace(next as never);
  }, [token, next, router]);
  return <Screen testID="account">{token ? <LoggedIn /> : <LoginForm />}</Screen>;
}

const styles = StyleSheet.create({
  row: {flexDirection: 'row', flexWrap: 'wrap', gap: spacing.s},
});
