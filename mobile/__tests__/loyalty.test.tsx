/**
 * Loyalty screen, referral sharing, engagement preferences and tapped
 * campaign notifications, with the HTTP layer mocked by msw.
 * @jest-environment-options {"customExportConditions":["node","require","react-native"]}
 */
import React from 'react';
import {Share} from 'react-native';
import {QueryClientProvider} from '@tanstack/react-query';
import {Slot} from 'expo-router';
import {renderRouter, screen, fireEvent, waitFor} from 'expo-router/testing-library';
import {http, HttpResponse} from 'msw';

import AccountScreen from '../app/account';
import LoyaltyScreen from '../app/loyalty';
import type {Schemas} from '../src/api/client';
import i18n from '../src/i18n';
import {notificationPath, openNotification} from '../src/push/links';
import {makeQueryClient} from '../src/queryClient';
import {resetSessionForTests} from '../src/session';
import {API, setUpApiServer} from './apiServer';
import * as data from './fixtures';

// the account screen asks the push permission status: none under jest
jest.mock('../src/push', () => ({
  pushStatus: async () => 'unsupported', enablePush: async () => 'unsupported', useNotificationDeepLinks: () => undefined,
}));

const {server, seen} = setUpApiServer({token: 'session-key'});
afterEach(() => jest.restoreAllMocks());

function render(routes: Record<string, React.ComponentType>, initialUrl: string) {
  const client = makeQueryClient({test: true});
  function Layout() {
    return <QueryClientProvider client={client}><Slot /></QueryClientProvider>;
  }
  return renderRouter({_layout: Layout, ...routes}, {initialUrl});
}

const loyalty: Schemas['Loyalty'] = {points: 165, reward_points: 150, rewards_available: 1, history: [
  {date: '2026-11-20', kind: 'earn', points: 120, description: 'POS GNT 42'},
  {date: '2026-11-18', kind: 'earn', points: 45, description: 'SO-0031'},
]};
const referral: Schemas['Referral'] = {code: 'ANNA-4KX9Q', friends_rewarded: 2, points_earned: 60,
  share_text: 'Discover Urban Therapy: with my code ANNA-4KX9Q you get -10 % off your first order in the app.'};
const preferences: Schemas['Preferences'] = {review_requests: true, cart_reminders: false, favourite_shop: null};
const shops = {items: [{code: 'GNT', name: 'Gent', opening_hours: [], pickup_enabled: true}]};

function engagement(points = loyalty) {
  let balance = points;
  server.use(
    http.get(`${API}/loyalty`, ({request}) => {
      expect(request.headers.get('Authorization')).toBe('Bearer session-key');
      return HttpResponse.json(balance);
    }),
    http.get(`${API}/loyalty/referral`, () => HttpResponse.json(referral)),
    http.get(`${API}/loyalty/preferences`, () => HttpResponse.json(preferences)),
    http.get(`${API}/shops`, () => HttpResponse.json(shops)),
    http.post(`${API}/loyalty/rewards`, () => {
      balance = {...balance, points: 15, rewards_available: 0, history: [
        {date: '2026-11-24', kind: 'redeem', points: -150, description: 'PTS-7KQ2M9XA'}, ...balance.history]};
      return HttpResponse.json({code: 'PTS-7KQ2M9XA', points_spent: 150, points: 15}, {status: 201});
    }),
  );
}

test('loyalty: the balance and the history, translated', async () => {
  engagement();
  render({loyalty: LoyaltyScreen}, '/loyalty');
  expect((await screen.findByTestId('points-balance')).props.children).toBe(165);
  expect(screen.getByLabelText('Balance: 165 points')).toBeTruthy();
  expect(screen.getByText('Every purchase in our shops, in the app and on the web shop earns points. '
    + '150 points buy a discount code.')).toBeTruthy();
  expect(screen.getAllByText('Purchase')).toHaveLength(2);
  expect(screen.getByText('+120')).toBeTruthy();
});

test('loyalty: a reward is redeemed, its code shown and applied to the cart', async () => {
  engagement();
  server.use(http.post(`${API}/cart/coupons`, async ({request}) => {
    const {code} = (await request.json()) as {code: string};
    return HttpResponse.json(data.cart([data.line], [code]));
  }));
  const router = render({loyalty: LoyaltyScreen, cart: () => null}, '/loyalty');
  fireEvent.press(await screen.findByTestId('redeem'));
  expect((await screen.findByTestId('reward-code')).props.children).toBe('PTS-7KQ2M9XA');
  expect(seen.filter((r) => r.method === 'POST' && r.path === '/api/v1/loyalty/rewards')).toHaveLength(1);
  // the balance is read again: 15 points left, no second reward
  await waitFor(() => expect(screen.getByTestId('points-balance').props.children).toBe(15));
  expect(screen.getByText('135 more points for your next reward.')).toBeTruthy();
  expect(screen.getByText('Reward')).toBeTruthy();
  fireEvent.press(screen.getByLabelText('Apply the code PTS-7KQ2M9XA to my cart'));
  await waitFor(() => expect(router.getPathname()).toBe('/cart'));
  expect(seen.find((r) => r.path === '/api/v1/cart/coupons')?.body).toEqual({code: 'PTS-7KQ2M9XA'});
});

test('loyalty: not enough points, no redeem button', async () => {
  engagement({points: 40, reward_points: 150, rewards_available: 0, history: []});
  render({loyalty: LoyaltyScreen}, '/loyalty');
  expect(await screen.findByText('110 more points for your next reward.')).toBeTruthy();
  expect(screen.queryByTestId('redeem')).toBeNull();
  expect(screen.getByText('No points yet.')).toBeTruthy();
});

test('referral: the code, the rule and the share sheet with the server text', async () => {
  await i18n.changeLanguage('fr');
  engagement();
  const share = jest.spyOn(Share, 'share').mockResolvedValue({action: Share.sharedAction});
  render({loyalty: LoyaltyScreen}, '/loyalty');
  expect((await screen.findByTestId('referral-code')).props.children).toBe('ANNA-4KX9Q');
  expect(screen.getByText(/votre ami reçoit -10 % sur sa première commande/)).toBeTruthy();
  expect(screen.getByText('2 amis récompensés, 60 points gagnés.')).toBeTruthy();
  fireEvent.press(screen.getByLabelText('Partager mon code de parrainage'));
  expect(share).toHaveBeenCalledWith({message: referral.share_text});
  expect(seen.find((r) => r.path === '/api/v1/loyalty/referral')?.headers.get('Accept-Language')).toBe('fr');
});

test('preferences: a toggle and the favourite shop are saved through the API', async () => {
  engagement();
  server.use(http.put(`${API}/loyalty/preferences`, async ({request}) =>
    HttpResponse.json(await request.json())));
  render({loyalty: LoyaltyScreen}, '/loyalty');
  const cart = await screen.findByTestId('pref-cart');
  expect(cart.props.accessibilityState.checked).toBe(false);
  expect(screen.getByTestId('pref-reviews').props.accessibilityState.checked).toBe(true);
  fireEvent.press(cart);
  await waitFor(() => expect(screen.getByTestId('pref-cart').props.accessibilityState.checked).toBe(true));
  expect(seen.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([
    {review_requests: true, cart_reminders: true, favourite_shop: null}]);
  fireEvent.press(screen.getByTestId('pref-shop-GNT'));
  await waitFor(() => expect(seen.filter((r) => r.method === 'PUT')).toHaveLength(2));
  expect(seen.filter((r) => r.method === 'PUT')[1].body).toEqual(
    {review_requests: true, cart_reminders: true, favourite_shop: 'GNT'});
});

test('the account screen leads to the loyalty screen', async () => {
  const me: Schemas['User'] = {id: 3, name: 'Anna', email: 'anna@example.com', email_verified: true, language: 'en',
    consent: {marketing: false}};
  engagement();
  server.use(http.get(`${API}/me`, () => HttpResponse.json(me)));
  const router = render({account: AccountScreen, loyalty: LoyaltyScreen}, '/account');
  fireEvent.press(await screen.findByLabelText('Open my loyalty points, rewards and referral code'));
  await waitFor(() => expect(router.getPathname()).toBe('/loyalty'));
  expect((await screen.findByTestId('points-balance')).props.children).toBe(165);
});

test('loyalty needs an account', async () => {
  resetSessionForTests();
  render({loyalty: LoyaltyScreen}, '/loyalty');
  expect(await screen.findByText('Log in to see your points and your referral code.')).toBeTruthy();
  expect(seen).toHaveLength(0);
});

test('a tapped campaign is reported as opened, then opens its universe', async () => {
  server.use(http.post(`${API}/campaigns/:id/open`, () => new HttpResponse(null, {status: 204})));
  const path = await openNotification({kind: 'campaign', campaign_id: 12, topic: 'new_arrivals', universe: 'living'});
  expect(path).toBe('/universe/living');
  const call = seen.find((r) => r.method === 'POST')!;
  expect(call.path).toBe('/api/v1/campaigns/12/open');
  expect(call.headers.get('Authorization')).toBe('Bearer session-key');
  // an order notification reports nothing
  seen.length = 0;
  expect(await openNotification({order_id: 31, status: 'ready'})).toBe('/orders/31');
  expect(seen).toHaveLength(0);
});

test('a campaign the server does not know still opens the app', async () => {
  server.use(http.post(`${API}/campaigns/:id/open`, () => HttpResponse.json(
    {type: 'x', title: 'No such campaign', status: 404, code: 'campaign_not_found'}, {status: 404})));
  expect(await openNotification({kind: 'campaign', campaign_id: '9'})).toBe('/');
  expect(seen.map((r) => r.path)).toEqual(['/api/v1/campaigns/9/open']);
  expect(notificationPath({kind: 'cart', quantity: 2})).toBe('/cart');
  expect(notificationPath({kind: 'campaign', campaign_id: 'x'})).toBeNull();
});
