// The onboarding's in-app QR scanner: a button that asks for the camera,
// then the camera with a cancel button. A code of ours (see ../qr) is handed
// to onCode once and the scanner closes; another QR shows a message and the
// camera stays open. Without a camera (refused, or none in this browser) a
// message says so and the typed code next to it stays the way in.
import React, {useRef, useState} from 'react';
import {Platform, StyleSheet, View} from 'react-native';
import {CameraView, useCameraPermissions, type BarcodeScanningResult} from 'expo-camera';
import {useTranslation} from 'react-i18next';

import {shopCodeFromQr} from '../qr';
import {colors, radius, spacing} from '../theme';
import {Body, Button, Notice} from './ui';

type State = 'closed' | 'asking' | 'open' | 'denied' | 'unavailable';

export function QrScanner({onCode, busy}: {onCode: (code: string) => void; busy: boolean}) {
  const {t} = useTranslation();
  // get: false, nothing is asked nor probed before the customer wants the
  // scanner (the probe throws in browsers without the Permissions API)
  const [, requestPermission] = useCameraPermissions({get: false});
  const [state, setState] = useState<State>('closed');
  const [foreign, setForeign] = useState(false);
  // The camera reports a code on every frame that shows it: the ref (set at
  // once, unlike state) lets only the first one through.
  const sent = useRef(false);

  const open = async () => {
    setForeign(false);
    setState('asking');
    try {
      // on the web the page may have no camera at all (desktop, insecure origin)
      if (Platform.OS === 'web' && !(await CameraView.isAvailableAsync())) {
        setState('unavailable');
        return;
      }
      const permission = await requestPermission();
      sent.current = false;
      setState(permission.granted ? 'open' : 'denied');
    } catch {
      setState('unavailable');
    }
  };

  const scanned = ({data}: BarcodeScanningResult) => {
    if (sent.current || busy) return;
    const code = shopCodeFromQr(data);
    if (!code) {
      setForeign(true);
      return;
    }
    sent.current = true;
    setState('closed');
    onCode(code);
  };

  if (state !== 'open') {
    return (
      <View style={styles.block}>
        <Button title={t('onboarding.scan')} variant="secondary" onPress={open} busy={state === 'asking'}
          disabled={busy} testID="scan-open" />
        {state === 'denied' ? <Notice kind="error">{t('onboarding.cameraDenied')}</Notice> : null}
        {state === 'unavailable' ? <Notice>{t('onboarding.cameraUnavailable')}</Notice> : null}
      </View>
    );
  }
  return (
    <View style={styles.block}>
      <View style={styles.frame}>
        <CameraView style={StyleSheet.absoluteFill} facing="back" barcodeScannerSettings={{barcodeTypes: ['qr']}}
          onBarcodeScanned={busy ? undefined : scanned} testID="scan-camera" />
      </View>
      <Body muted>{t('onboarding.scanHint')}</Body>
      {foreign ? <Notice kind="error">{t('onboarding.notOurs')}</Notice> : null}
      <Button title={t('onboarding.scanCancel')} variant="secondary" onPress={() => setState('closed')}
        testID="scan-cancel" />
    </View>
  );
}

const styles = StyleSheet.create({
  block: {gap: spacing.m},
  frame: {height: 300, borderRadius: radius.m, overflow: 'hidden', backgroundColor: colors.text},
});
