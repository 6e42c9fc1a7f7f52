// Push permission flow and deep links: ask only when the customer taps the
// button, register the Expo push token with the API, and open the order
// when a notification is tapped (data.order_id).
import {useEffect} from 'react';
import {Platform} from 'react-native';
import * as Notifications from 'expo-notifications';
import Constants from 'expo-constants';
import {router} from 'expo-router';

import {api, unwrap} from '../api/client';
import {currentLanguage} from '../i18n';

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

export function orderPath(data: unknown): string | null {
  const id = (data as {order_id?: unknown} | null)?.order_id;
  return typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)) ? `/orders/${id}` : null;
}

export function useNotificationDeepLinks(): void {
  useEffect(() => {
    const open = (response: Notifications.NotificationResponse | null) => {
      const path = orderPath(response?.notification.request.content.data);
      if (path) router.push(path as never);
    };
    Notifications.getLastNotificationResponseAsync().then(open).catch(() => undefined);
    const subscription = Notifications.addNotificationResponseReceivedListener(open);
    return () => subscription.remove();
  }, []);
}
