/**
 * Screens and flows with the HTTP layer mocked by msw.
 * @jest-environment-options {"customExportConditions":["node","require","react-native"]}
 */
import React from 'react';
import {QueryClientProvider} from '@tanstack/react-query';
import {Slot} from 'expo-router';
import {renderRouter, screen, fireEvent, waitFor} from 'expo-router/testing-library';
import {http, HttpResponse} from 'msw';

import Home from '../app/index';
import CartScreen from '../app/cart';
import CheckoutScreen from '../app/checkout';
import OrdersScreen from '../app/orders/index';
import OrderScreen from '../app/orders/[id]';
import {orderPath} from '../src/push/index.native';
import ProductScreen from '../app/product/[id]';
import Onboarding from '../app/onboarding';
import i18n from '../src/i18n';
import {makeQueryClient} from '../src/queryClient';
import {getSession, resetSessionForTests} from '../src/session';
import {API, setUpApiServer} from './apiServer';
import * as data from './fixtures';

const {server, seen} = setUpApiServer();

function render(routes: Record<string, React.ComponentType>, initialUrl: string) {
  const client = makeQueryClient({test: true});
  function Layout() {
    return <QueryClientProvider client={client}><Slot /></QueryClientProvider>;
  }
  return renderRouter({_layout: Layout, ...routes}, {initialUrl});
}

test('home shows the new arrivals and the universes', async () => {
  server.use(
    http.get(`${API}/universes`, () => HttpResponse.json(data.universes)),
    http.get(`${API}/products`, ({request}) => {
      expect(new URL(request.url).searchParams.get('new')).toBe('true');
      return HttpResponse.json(data.products);
    }),
  );
  render({index: Home}, '/');
  expect(await screen.findByText('New arrivals')).toBeTruthy();
  expect(await screen.findByLabelText('Jute cushion, €29.90')).toBeTruthy();
  expect(await screen.findByText('Living')).toBeTruthy();
  expect(screen.getByText('12 products')).toBeTruthy();
  expect(seen.every((r) => r.headers.get('Accept-Language') === 'en')).toBe(true);
  // a visitor (not logged in) gets no "for you" row and asks for none
  expect(screen.queryByText('For you')).toBeNull();
  expect(seen.some((r) => r.path.endsWith('/recommendations'))).toBe(false);
});

test('home in Dutch, and a clear message when offline without saved data', async () => {
  await i18n.changeLanguage('nl');
  server.use(
    http.get(`${API}/universes`, () => HttpResponse.error()),
    http.get(`${API}/products`, () => HttpResponse.error()),
  );
  render({index: Home}, '/');
  expect(await screen.findByText('Nieuw binnen')).toBeTruthy();
  const messages = await screen.findAllByText(/Je bent offline/);
  expect(messages.length).toBe(2);
});

test('product: price, shop availability, add to cart keeps the guest cart token', async () => {
  server.use(
    http.get(`${API}/products/5`, () => HttpResponse.json(data.product)),
    http.get(`${API}/products/5/recommendations`, () => HttpResponse.json(data.products)),
    http.post(`${API}/cart/lines`, () => HttpResponse.json({...data.cart([data.line]), token: 'guest-token'},
      {status: 201, headers: {'X-Cart-Token': 'guest-token'}})),
  );
  render({'product/[id]': ProductScreen}, '/product/5');
  expect(await screen.findByText('Available in Ghent (3) · Antwerp (1)')).toBeTruthy();
  expect(screen.getByTestId('price').props.children).toBe('€29.90');
  fireEvent.press(screen.getByTestId('add-to-cart'));
  expect(await screen.findByText('Added to your cart')).toBeTruthy();
  expect(seen.find((r) => r.method === 'POST')?.body).toEqual({product_id: 5, quantity: 1});
  expect(getSession().cartToken).toBe('guest-token');
  // what its buyers also bought
  expect(await screen.findByText('You may also like')).toBeTruthy();
  expect(screen.getByLabelText('Jute cushion, €29.90')).toBeTruthy();
});

test('home: a customer who is logged in gets a "for you" row, a visitor none', async () => {
  resetSessionForTests({token: 'session-key'});
  server.use(
    http.get(`${API}/universes`, () => HttpResponse.json(data.universes)),
    http.get(`${API}/products`, () => HttpResponse.json({items: [], next_cursor: null})),
    http.get(`${API}/recommendations`, ({request}) => {
      expect(request.headers.get('Authorization')).toBe('Bearer session-key');
      return HttpResponse.json(data.products);
    }),
  );
  render({index: Home}, '/');
  expect(await screen.findByText('For you')).toBeTruthy();
  expect(await screen.findByLabelText('Jute cushion, €29.90')).toBeTruthy();
});

test('cart: a coupon code is applied and the totals shown; checkout needs an account', async () => {
  resetSessionForTests({cartToken: 'guest-token'});
  server.use(
    http.get(`${API}/cart`, ({request}) => {
      expect(request.headers.get('X-Cart-Token')).toBe('guest-token');
      return HttpResponse.json(data.cart([data.line]));
    }),
    http.post(`${API}/cart/coupons`, async ({request}) => {
      const {code} = (await request.json()) as {code: string};
      if (code !== 'WELCOME10') {
        return HttpResponse.json({type: 'x', title: 'Unknown coupon', status: 404, code: 'coupon_not_found',
          detail: 'This code does not exist.'}, {status: 404, headers: {'Content-Type': 'application/problem+json'}});
      }
      return HttpResponse.json(data.cart([data.line], ['WELCOME10']));
    }),
  );
  render({cart: CartScreen}, '/cart');
  expect(await screen.findByTestId('cart-line-5')).toBeTruthy();
  // the line names its variant and leads back to its product
  expect(screen.getByText('Sand')).toBeTruthy();
  expect(screen.getByLabelText('Jute cushion, Sand')).toBeTruthy();
  fireEvent.changeText(screen.getByTestId('coupon-input'), 'NOPE');
  fireEvent.press(screen.getByTestId('coupon-apply'));
  expect(await screen.findByText('This code does not exist.')).toBeTruthy();
  fireEvent.changeText(screen.getByTestId('coupon-input'), 'WELCOME10');
  fireEvent.press(screen.getByTestId('coupon-apply'));
  expect(await screen.findByText('Code WELCOME10 applied')).toBeTruthy();
  expect(screen.getByTestId('cart-total').props.children).toBe('€29.90');
  expect(screen.getByText('Log in or create an account to check out.')).toBeTruthy();
});

test('checkout: click & collect in an available shop, idempotent order, then the payment screen', async () => {
  resetSessionForTests({token: 'session-key'});
  server.use(
    http.get(`${API}/cart`, () => HttpResponse.json(data.cart([data.line]))),
    http.get(`${API}/checkout/options`, ({request}) => {
      expect(request.headers.get('Authorization')).toBe('Bearer session-key');
      return HttpResponse.json(data.options);
    }),
    http.get(`${API}/shops`, () => HttpResponse.json({items: []})),
    http.post(`${API}/checkout`, () => HttpResponse.json({order: data.order, payment: {
      provider: 'stripe', reference: 'pi_1', status: 'open', amount: data.order.total_amount,
      client_secret: 'pi_1_secret_x', checkout_url: null}}, {status: 201})),
  );
  const router = render({checkout: CheckoutScreen, 'pay/[id]': () => null}, '/checkout');
  expect(await screen.findByTestId('shop-GHENT')).toBeTruthy();
  expect(screen.getByTestId('shop-LIEGE').props.accessibilityState.disabled).toBe(true);
  fireEvent.press(screen.getByTestId('place-order'));
  expect(await screen.findByText('Choose a shop.')).toBeTruthy();
  fireEvent.press(screen.getByTestId('shop-GHENT'));
  fireEvent.changeText(screen.getByTestId('phone'), '0470 12 34 56');
  fireEvent.press(screen.getByTestId('pay-card'));
  fireEvent.press(screen.getByTestId('place-order'));
  await waitFor(() => expect(router.getPathname()).toBe('/pay/31'));
  const call = seen.find((r) => r.path === '/api/v1/checkout')!;
  expect(call.body).toEqual({mode: 'click_collect', shop: 'GHENT', phone: '0470 12 34 56',
    payment_provider: 'stripe', payment_method: 'card'});
  expect(call.headers.get('Idempotency-Key')).toBeTruthy();
});

test('orders: the list with translated statuses', async () => {
  await i18n.changeLanguage('fr');
  resetSessionForTests({token: 'session-key'});
  server.use(http.get(`${API}/orders`, () => HttpResponse.json({items: [data.order], next_cursor: null})));
  render({'orders/index': OrdersScreen}, '/orders');
  expect(await screen.findByText('Commande SO-0031')).toBeTruthy();
  expect(screen.getByText(/Passée/)).toBeTruthy();
});

test('onboarding: a typed shop code records the scan and keeps the first-order code', async () => {
  server.use(http.post(`${API}/qr-scans`, async ({request}) => {
    const {code} = (await request.json()) as {code: string};
    return code === 'GHENT'
      ? HttpResponse.json({shop: 'GHENT', shop_name: 'Ghent', first_order_code: 'HELLO-GHENT'}, {status: 201})
      : HttpResponse.json({type: 'x', title: 'Unknown', status: 404, code: 'unknown_shop_code'}, {status: 404});
  }));
  render({onboarding: Onboarding, index: () => null}, '/onboarding');
  fireEvent.changeText(await screen.findByTestId('shop-code'), 'NOWHERE');
  fireEvent.press(screen.getByTestId('shop-code-submit'));
  expect(await screen.findByText('We do not know this shop code.')).toBeTruthy();
  fireEvent.changeText(screen.getByTestId('shop-code'), 'GHENT');
  fireEvent.press(screen.getByTestId('shop-code-submit'));
  expect(await screen.findByText(/Welcome from Ghent! .*HELLO-GHENT/)).toBeTruthy();
  await waitFor(() => expect(getSession().welcomeCode).toBe('HELLO-GHENT'));
});

test('order detail: the timeline, then a return request for a collected order', async () => {
  resetSessionForTests({token: 'session-key'});
  const collected = {...data.order, state: 'done', status: 'collected', timeline: [
    {status: 'placed', at: '2026-11-24T10:00:00Z'}, {status: 'paid', at: '2026-11-24T10:01:00Z'},
    {status: 'collected', at: '2026-11-25T15:00:00Z'}]};
  server.use(
    http.get(`${API}/orders/31`, () => HttpResponse.json(collected)),
    http.post(`${API}/orders/31/returns`, () => HttpResponse.json({id: 4, order_id: 31, state: 'requested'}, {status: 201})),
  );
  render({'orders/[id]': OrderScreen}, '/orders/31');
  expect(await screen.findByText('Follow-up')).toBeTruthy();
  expect(screen.getByText('Paid')).toBeTruthy();
  fireEvent.press(screen.getByText('Return items'));
  fireEvent.press(screen.getByLabelText('Jute cushion, Sand × 1'));
  fireEvent.changeText(screen.getByLabelText('Why do you return them?'), 'Wrong colour');
  fireEvent.press(screen.getByText('Request the return'));
  expect(await screen.findByText('Return request 4 sent.')).toBeTruthy();
  expect(seen.find((r) => r.method === 'POST')?.body).toEqual(
    {reason: 'Wrong colour', lines: [{product_id: 5, quantity: 1}]});
});

test('order detail: a click & collect order to come says when it is ready', async () => {
  resetSessionForTests({token: 'session-key'});
  server.use(http.get(`${API}/orders/31`, () => HttpResponse.json({...data.order, ready_by: '2026-11-27'})));
  render({'orders/[id]': OrderScreen}, '/orders/31');
  expect(await screen.findByTestId('order-ready-by')).toBeTruthy();
  expect(screen.getByText(`Ready on ${new Date('2026-11-27').toLocaleDateString('en')}`)).toBeTruthy();
});

test('a tapped notification opens its order', () => {
  expect(orderPath({order_id: 31, status: 'ready'})).toBe('/orders/31');
  expect(orderPath({order_id: '7'})).toBe('/orders/7');
  expect(orderPath({campaign: 'x'})).toBeNull();
  expect(orderPath(null)).toBeNull();
});
