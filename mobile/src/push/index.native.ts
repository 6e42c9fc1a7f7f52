// Push permission flow and deep links: ask only when the customer taps the
// button, register the Expo push token with the API, and open what a
// tapped notification is about (links.ts: order, cart, campaign).
import {useEffect} from 'react';
import {Platform} from 'react-native';
import * as Notifications from 'expo-notifications';
import Constants from 'expo-constants';
import {router} from 'expo-router';

import {api, unwrap} from '../api/client';
import {currentLanguage} from '../i18n';
import {openNotification} from './links';

export type PushStatus = 'unsupported' | 'undetermined' | 'granted' | 'denied';

export async function pushStatus(): Promise<PushStatus> {
  const {status} = await Notifications.getPermissionsAsync();
  return status as PushStatus;
}

type Topic = 'orders' | 'promotions' | 'new_arrivals';

export async function enablePush(topics: string[]): Promise<PushStatus> {
  const {status} = await Notifications.requestPermissionsAsync();
  if (status !== 'granted') return status as PushStatus;
  const projectId = Constants.expoConfig?.extra?.eas?.projectId;
  const {data: token} = await Notifications.getExpoPushTokenAsync(projectId ? {projectId} : undefined);
  await unwrap(api().POST('/api/v1/push/devices', {body: {
    token, platform: Platform.OS === 'ios' ? 'ios' : 'android', language: currentLanguage(),
    topics: topics as Topic[]}}));
  return 'granted';
}

export {orderPath} from './links';

export function useNotificationDeepLinks(): void {
  useEffect(() => {
    const seen = new Set<string>();
    const open = (response: Notifications.NotificationResponse | null) => {
      if (!response) return;
      // the last response is also delivered to the listener: handle once
      const id = response.notification.request.identifier;
      if (seen.has(id)) return;
      seen.add(id);
      openNotification(response.notification.request.content.data).then((path) => {
        if (path) router.push(path as never);
      });
    };
    Notifications.getLastNotificationResponseAsync().then(open).catch(() => undefined);
    const subscription = Notifications.addNotificationResponseReceivedListener(open);
    return () => subscription.remove();
  }, []);
}
