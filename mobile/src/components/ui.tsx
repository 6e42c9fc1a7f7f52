// Small building blocks sharing the theme; every control has an
// accessibility role and label, text scales with the system font size.
import React from 'react';
import {ActivityIndicator, Pressable, ScrollView, StyleSheet, Text, TextInput, View, ViewStyle} from 'react-native';
import {useTranslation} from 'react-i18next';
import type {TFunction} from 'i18next';

import {ApiError, NetworkError} from '../api/client';
import {colors, fonts, radius, spacing} from '../theme';

export function Screen({children, testID}: {children: React.ReactNode; testID?: string}) {
  return (
    <ScrollView style={styles.screen} contentContainerStyle={styles.content} testID={testID}
      keyboardShouldPersistTaps="handled">
      {children}
    </ScrollView>
  );
}

export function Title({children}: {children: React.ReactNode}) {
  return <Text role="heading" aria-level={1} accessibilityRole="header" style={fonts.title}>{children}</Text>;
}

export function Heading({children}: {children: React.ReactNode}) {
  return <Text role="heading" aria-level={2} accessibilityRole="header" style={[fonts.heading, styles.heading]}>{children}</Text>;
}

export function Body({children, muted, style, testID}: {children: React.ReactNode; muted?: boolean; style?: object; testID?: string}) {
  return <Text style={[muted ? fonts.small : fonts.body, style]} testID={testID}>{children}</Text>;
}

type ButtonProps = {
  title: string;
  onPress: () => void;
  variant?: 'primary' | 'secondary' | 'link';
  disabled?: boolean;
  busy?: boolean;
  label?: string;
  testID?: string;
  style?: ViewStyle;
};

export function Button({title, onPress, variant = 'primary', disabled, busy, label, testID, style}: ButtonProps) {
  const inactive = disabled || busy;
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={label ?? title}
      accessibilityState={{disabled: !!inactive, busy: !!busy}}
      aria-disabled={!!inactive}
      aria-busy={!!busy}
      disabled={inactive}
      onPress={onPress}
      testID={testID}
      style={({pressed}) => [
        styles.button,
        variant === 'primary' && styles.primary,
        variant === 'secondary' && styles.secondary,
        variant === 'link' && styles.link,
        inactive && styles.disabled,
        pressed && {opacity: 0.8},
        style,
      ]}>
      {busy ? <ActivityIndicator color={variant === 'primary' ? colors.onPrimary : colors.primary} /> : null}
      <Text style={[styles.buttonText, variant === 'primary' ? styles.primaryText : styles.secondaryText]}>{title}</Text>
    </Pressable>
  );
}

type FieldProps = React.ComponentProps<typeof TextInput> & {label: string; error?: string | null};

export function Field({label, error, ...props}: FieldProps) {
  return (
    <View style={styles.field}>
      <Text style={fonts.small}>{label}</Text>
      <TextInput accessibilityLabel={label} placeholderTextColor={colors.muted}
        style={[styles.input, error ? {borderColor: colors.danger} : null]} {...props} />
      {error ? <Text role="alert" style={styles.error}>{error}</Text> : null}
    </View>
  );
}

export function Choice({label, selected, onPress, detail, disabled, testID}:
  {label: string; selected: boolean; onPress: () => void; detail?: string; disabled?: boolean; testID?: string}) {
  return (
    // aria-*: react-native-web renders them, not accessibilityState
    <Pressable accessibilityRole="radio" accessibilityState={{checked: selected, disabled: !!disabled}}
      aria-checked={selected} aria-disabled={!!disabled} accessibilityLabel={detail ? `${label}, ${detail}` : label} disabled={disabled}
      onPress={onPress} testID={testID} style={[styles.choice, selected && styles.choiceSelected, disabled && styles.disabled]}>
      <Text style={[fonts.body, selected && {fontWeight: '700'}]}>{label}</Text>
      {detail ? <Text style={fonts.small}>{detail}</Text> : null}
    </Pressable>
  );
}

/** An on/off setting: a switch for screen readers, a labelled row on screen. */
export function Toggle({label, value, onChange, testID}:
  {label: string; value: boolean; onChange: (value: boolean) => void; testID?: string}) {
  return (
    <Pressable accessibilityRole="switch" accessibilityState={{checked: value}} aria-checked={value} accessibilityLabel={label}
      onPress={() => onChange(!value)} testID={testID} style={[styles.choice, styles.toggle]}>
      <Text style={[fonts.body, {flex: 1}]}>{label}</Text>
      <View style={[styles.track, value && styles.trackOn]}>
        <View style={[styles.knob, value && styles.knobOn]} />
      </View>
    </Pressable>
  );
}

export function Notice({children, kind = 'info'}: {children: React.ReactNode; kind?: 'info' | 'error' | 'success'}) {
  return (
    <View role={kind === 'error' ? 'alert' : 'status'} accessibilityLiveRegion="polite"
      style={[styles.notice, kind === 'error' && styles.noticeError, kind === 'success' && styles.noticeSuccess]}>
      <Text style={fonts.body}>{children}</Text>
    </View>
  );
}

export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof NetworkError) return t('common.offlineNoData');
  if (error instanceof ApiError) return error.message || t('common.error');
  return t('common.error');
}

/** Loading spinner, or error with retry; renders children with the data.
 * When the network is down but cached data exists, shows the data with an
 * "offline" notice. */
export function QueryView<T>({query, children}: {
  query: {data?: T; error: unknown; isPending: boolean; isError: boolean; refetch: () => unknown};
  children: (data: T) => React.ReactNode;
}) {
  const {t} = useTranslation();
  if (query.data !== undefined) {
    return (
      <>
        {query.isError && query.error instanceof NetworkError ? <Notice>{t('common.offline')}</Notice> : null}
        {children(query.data)}
      </>
    );
  }
  if (query.isError) {
    return (
      <View>
        <Notice kind="error">{errorMessage(query.error, t)}</Notice>
        <Button title={t('common.retry')} variant="secondary" onPress={() => query.refetch()} />
      </View>
    );
  }
  return <ActivityIndicator accessibilityLabel={t('common.loading')} color={colors.primary} style={{margin: spacing.l}} />;
}

const styles = StyleSheet.create({
  screen: {flex: 1, backgroundColor: colors.background},
  content: {padding: spacing.m, gap: spacing.m, paddingBottom: spacing.xl * 2, maxWidth: 760, width: '100%', alignSelf: 'center'},
  heading: {marginTop: spacing.s},
  button: {minHeight: 48, borderRadius: radius.l, paddingHorizontal: spacing.l, paddingVertical: spacing.s,
    alignItems: 'center', justifyContent: 'center', flexDirection: 'row', gap: spacing.s},
  primary: {backgroundColor: colors.primary},
  secondary: {backgroundColor: colors.surface, borderWidth: 1, borderColor: colors.primary},
  link: {backgroundColor: 'transparent', paddingHorizontal: 0, alignSelf: 'flex-start'},
  disabled: {opacity: 0.5},
  buttonText: {fontSize: 16, fontWeight: '600'},
  primaryText: {color: colors.onPrimary},
  secondaryText: {color: colors.primary},
  field: {gap: spacing.xs},
  input: {minHeight: 48, borderWidth: 1, borderColor: colors.border, borderRadius: radius.s, paddingHorizontal: spacing.m,
    backgroundColor: colors.surface, fontSize: 16, color: colors.text},
  error: {color: colors.danger, fontSize: 14},
  choice: {minHeight: 48, padding: spacing.m, borderRadius: radius.m, borderWidth: 1, borderColor: colors.border,
    backgroundColor: colors.surface, gap: 2},
  toggle: {flexDirection: 'row', alignItems: 'center', gap: spacing.m},
  track: {width: 44, height: 26, borderRadius: 13, backgroundColor: colors.border, padding: 3},
  trackOn: {backgroundColor: colors.primary},
  knob: {width: 20, height: 20, borderRadius: 10, backgroundColor: colors.surface},
  knobOn: {alignSelf: 'flex-end'},
  choiceSelected: {borderColor: colors.primary, borderWidth: 2},
  notice: {padding: spacing.m, borderRadius: radius.m, backgroundColor: '#EFE3D3'},
  noticeError: {backgroundColor: '#F6DCD6'},
  noticeSuccess: {backgroundColor: '#DCE8D5'},
});
