/**
 * Home delivery checkout (shipping methods with prices, address, relay
 * point search and pick, phone refused by the server then corrected), the
 * web payment fallback for Bancontact, and delivery orders in the list,
 * with the HTTP layer mocked by msw.
 * @jest-environment-options {"customExportConditions":["node","require","react-native"]}
 */
import React from 'react';
import {QueryClientProvider} from '@tanstack/react-query';
import {Slot} from 'expo-router';
import {renderRouter, screen, fireEvent, waitFor} from 'expo-router/testing-library';
import {render as renderPlain} from '@testing-library/react-native';
import {http, HttpResponse} from 'msw';

import CheckoutScreen from '../app/checkout';
import OrdersScreen from '../app/orders/index';
import OrderScreen from '../app/orders/[id]';
import type {Schemas} from '../src/api/client';
import {makeQueryClient} from '../src/queryClient';
import {API, setUpApiServer} from './apiServer';
import * as data from './fixtures';

// the web fallback (Stripe.js), not the native payment sheet jest resolves
// for '../src/payments/PayButton'
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {PayButton} = require('../src/payments/PayButton.tsx') as typeof import('../src/payments/PayButton');

const {server, seen} = setUpApiServer({token: 'session-key'});

function render(routes: Record<string, React.ComponentType>, initialUrl: string) {
  const client = makeQueryClient({test: true});
  function Layout() {
    return <QueryClientProvider client={client}><Slot /></QueryClientProvider>;
  }
  return renderRouter({_layout: Layout, ...routes}, {initialUrl});
}

const eur = (amount: string): Schemas['Money'] => ({amount, currency: 'EUR'});

const options: Schemas['CheckoutOptions'] = {
  click_collect: data.options.click_collect,
  delivery: [
    {carrier: 'bpost', method: '1001', name: 'bpost @home', price: eur('5.95'), service_point: false},
    {carrier: 'mondial_relay', method: '1003', name: 'Mondial Relay Point Relais', price: eur('3.90'), service_point: true},
  ],
};

const points: Schemas['ServicePointList'] = {items: [
  {id: '501', carrier: 'mondial_relay', name: 'Librairie du Centre', distance_m: 350,
    address: {street: 'Veldstraat 12', postal_code: '9000', city: 'Gent', country: 'BE'}},
]};

const invalidPhone = {type: 'about:blank', title: 'Invalid phone number', status: 422, code: 'invalid_phone',
  errors: [{loc: ['body', 'phone'], msg: 'not a valid phone number', type: 'phone'}]};

test('home delivery: method with its price, address, relay point search and pick, phone refused then corrected', async () => {
  server.use(
    http.get(`${API}/cart`, () => HttpResponse.json(data.cart([data.line]))),
    http.get(`${API}/checkout/options`, () => HttpResponse.json(options)),
    http.get(`${API}/shops`, () => HttpResponse.json({items: []})),
    http.get(`${API}/checkout/service-points`, ({request}) => {
      const query = new URL(request.url).searchParams;
      return HttpResponse.json(query.get('postal_code') === '9000' && query.get('carrier') === 'mondial_relay'
        ? points : {items: []});
    }),
    http.post(`${API}/checkout`, async ({request}) => {
      const body = (await request.json()) as Schemas['CheckoutIn'];
      if (body.phone !== '0470 12 34 56') {
        return HttpResponse.json(invalidPhone, {status: 422, headers: {'Content-Type': 'application/problem+json'}});
      }
      return HttpResponse.json({order: {...data.order, mode: 'delivery'}, payment: {
        provider: 'stripe', reference: 'pi_1', status: 'open', amount: data.order.total_amount,
        client_secret: 'pi_1_secret_x', checkout_url: null}}, {status: 201});
    }),
  );
  const router = render({checkout: CheckoutScreen, 'pay/[id]': () => null}, '/checkout');
  fireEvent.press(await screen.findByTestId('mode-delivery'));
  expect(await screen.findByLabelText('Mondial Relay Point Relais, €3.90')).toBeTruthy();
  expect(screen.getByLabelText('bpost @home, €5.95')).toBeTruthy();
  fireEvent.press(screen.getByTestId('method-1003'));
  fireEvent.changeText(screen.getByTestId('street'), 'Korenmarkt 3');
  fireEvent.changeText(screen.getByTestId('postal-code'), '9000');
  fireEvent.changeText(screen.getByTestId('city'), 'Gent');
  fireEvent.changeText(screen.getByTestId('phone'), '0000 00 00 00');
  fireEvent.press(screen.getByTestId('place-order'));
  expect(await screen.findByText('Choose a pick-up point.')).toBeTruthy();
  expect(seen.some((r) => r.path === '/api/v1/checkout')).toBe(false);

  // the points near the delivery address
  fireEvent.press(await screen.findByTestId('point-501'));
  // another postal code: no point there, the choice is dropped
  fireEvent.changeText(screen.getByTestId('relay-postal-code'), '1300');
  fireEvent.press(screen.getByTestId('relay-search'));
  expect(await screen.findByTestId('relay-none')).toBeTruthy();
  fireEvent.press(screen.getByTestId('place-order'));
  expect(await screen.findByText('Choose a pick-up point.')).toBeTruthy();
  // empty: the delivery address's postal code again
  fireEvent.changeText(screen.getByTestId('relay-postal-code'), '');
  fireEvent.press(screen.getByTestId('relay-search'));
  const point = await screen.findByTestId('point-501');
  expect(point.props.accessibilityState.checked).toBe(false);
  expect(screen.getByLabelText(/^Librairie du Centre, Veldstraat 12 · 9000 Gent · 0\.\d km$/)).toBeTruthy();
  fireEvent.press(point);
  expect(screen.getByTestId('point-501').props.accessibilityState.checked).toBe(true);

  fireEvent.press(screen.getByTestId('place-order'));
  const phoneError = 'This phone number is not valid. Give a Belgian number or one with its country code (+33…).';
  expect(await screen.findByText(phoneError)).toBeTruthy();
  expect(screen.getByText('Some details are not valid: check the fields marked in red.')).toBeTruthy();
  fireEvent.changeText(screen.getByTestId('phone'), '0470 12 34 56');
  expect(screen.queryByText(phoneError)).toBeNull();
  fireEvent.press(screen.getByTestId('place-order'));
  await waitFor(() => expect(router.getPathname()).toBe('/pay/31'));

  const calls = seen.filter((r) => r.path === '/api/v1/checkout');
  expect(calls.length).toBe(2);
  expect(calls[1].body).toEqual({mode: 'delivery', shipping_method: '1003', service_point: '501',
    address: {country: 'BE', street: 'Korenmarkt 3', postal_code: '9000', city: 'Gent'},
    phone: '0470 12 34 56', payment_provider: 'stripe', payment_method: 'bancontact'});
  // a refused attempt stored nothing at the server: the same key is fine
  expect(calls[1].headers.get('Idempotency-Key')).toBe(calls[0].headers.get('Idempotency-Key'));
  const searches = seen.filter((r) => r.path === '/api/v1/checkout/service-points').map((r) => r.query);
  expect(searches.slice(0, 2)).toEqual([
    '?postal_code=9000&carrier=mondial_relay', '?postal_code=1300&carrier=mondial_relay']);
});

test('home delivery: a refused postal code is shown on its field', async () => {
  server.use(
    http.get(`${API}/cart`, () => HttpResponse.json(data.cart([data.line]))),
    http.get(`${API}/checkout/options`, () => HttpResponse.json(options)),
    http.get(`${API}/shops`, () => HttpResponse.json({items: []})),
    http.post(`${API}/checkout`, () => HttpResponse.json({type: 'about:blank', title: 'Invalid postal code', status: 422,
      code: 'invalid_address', errors: [{loc: ['body', 'address', 'postal_code'], msg: 'a Belgian postal code has 4 digits',
        type: 'value_error'}]}, {status: 422, headers: {'Content-Type': 'application/problem+json'}})),
  );
  render({checkout: CheckoutScreen}, '/checkout');
  fireEvent.press(await screen.findByTestId('mode-delivery'));
  fireEvent.press(await screen.findByTestId('method-1001'));
  expect(screen.queryByTestId('relay-search')).toBeNull();
  fireEvent.changeText(screen.getByTestId('street'), 'Korenmarkt 3');
  fireEvent.changeText(screen.getByTestId('postal-code'), '900');
  fireEvent.changeText(screen.getByTestId('city'), 'Gent');
  fireEvent.changeText(screen.getByTestId('phone'), '0470 12 34 56');
  fireEvent.press(screen.getByTestId('place-order'));
  expect(await screen.findByText('Check this field.')).toBeTruthy();
  expect(screen.queryByText(/phone number is not valid/)).toBeNull();
});

function fakeStripe(bancontact: boolean) {
  const confirm = () => jest.fn(async (_secret: string, _options?: object): Promise<{error?: {message?: string}}> => ({}));
  const calls = {bancontact: confirm(), card: confirm()};
  const instance = {
    elements: () => ({create: () => ({mount: () => undefined})}),
    confirmCardPayment: calls.card,
    ...(bancontact ? {confirmBancontactPayment: calls.bancontact} : {}),
  };
  const g = globalThis as unknown as {Stripe?: unknown; URBAN_CONFIG?: object};
  g.Stripe = () => instance;
  g.URBAN_CONFIG = {stripePublishableKey: 'pk_test_x'};
  return calls;
}

afterEach(() => {
  const g = globalThis as unknown as {Stripe?: unknown; URBAN_CONFIG?: object};
  delete g.Stripe;
  delete g.URBAN_CONFIG;
});

test('web payment: Bancontact goes to the bank with the account holder, never as a card', async () => {
  const calls = fakeStripe(true);
  const paid = jest.fn();
  renderPlain(<PayButton clientSecret="pi_9_secret_y" method="bancontact" label="Pay" holder="Ann Peeters" onPaid={paid} />);
  const pay = await screen.findByTestId('pay');
  await waitFor(() => expect(screen.getByTestId('pay').props.accessibilityState.disabled).toBe(false));
  expect(screen.getByTestId('holder').props.value).toBe('Ann Peeters');
  fireEvent.changeText(screen.getByTestId('holder'), '');
  expect(screen.getByTestId('pay').props.accessibilityState.disabled).toBe(true);
  fireEvent.changeText(screen.getByTestId('holder'), 'Ann Peeters-Smet');
  fireEvent.press(pay);
  await waitFor(() => expect(paid).toHaveBeenCalled());
  expect(calls.card).not.toHaveBeenCalled();
  expect(calls.bancontact).toHaveBeenCalledTimes(1);
  const [secret, options] = calls.bancontact.mock.calls[0];
  expect(secret).toBe('pi_9_secret_y');
  expect(options).toMatchObject({payment_method: {billing_details: {name: 'Ann Peeters-Smet'}}});
  expect(Object.keys(options!)).toContain('return_url');
});

test('web payment: a Stripe.js without Bancontact says so and does not charge a card', async () => {
  const calls = fakeStripe(false);
  const paid = jest.fn();
  renderPlain(<PayButton clientSecret="pi_9_secret_y" method="bancontact" label="Pay" holder="Ann" onPaid={paid} />);
  await waitFor(() => expect(screen.getByTestId('pay').props.accessibilityState.disabled).toBe(false));
  fireEvent.press(screen.getByTestId('pay'));
  expect(await screen.findByText('Bancontact is not available right now: choose the card payment.')).toBeTruthy();
  expect(calls.card).not.toHaveBeenCalled();
  expect(paid).not.toHaveBeenCalled();
});

test('orders: a delivery order shows its shipping method, a pickup its shop', async () => {
  const delivered: Schemas['Order'] = {...data.order, id: 32, number: 'SO-0032', mode: 'delivery', lines: [
    ...data.order.lines, {name: 'Mondial Relay Point Relais', quantity: 1, amount: eur('3.22'), product_id: null}],
    delivery: {method: 'Mondial Relay Point Relais', price: eur('3.90'), service_point: null,
      address: {street: 'Korenmarkt 3', postal_code: '9000', city: 'Gent', country: 'BE'}}};
  server.use(http.get(`${API}/orders`, () => HttpResponse.json({items: [delivered, data.order], next_cursor: null})));
  render({'orders/index': OrdersScreen}, '/orders');
  expect((await screen.findByTestId('order-32-mode')).props.children)
    .toBe('Home delivery · Mondial Relay Point Relais');
  expect(screen.getByTestId('order-31-mode').props.children).toBe('Click & collect · GHENT');
});

test('order detail: the delivery method with its price, the relay point and the address', async () => {
  const delivered: Schemas['Order'] = {...data.order, mode: 'delivery', delivery: {
    method: 'Mondial Relay Point Relais', price: eur('3.90'),
    service_point: 'Librairie du Centre, Veldstraat 12, 9000 Gent',
    address: {street: 'Korenmarkt 3', postal_code: '9000', city: 'Gent', country: 'BE'}}};
  server.use(http.get(`${API}/orders/31`, () => HttpResponse.json(delivered)));
  render({'orders/[id]': OrderScreen}, '/orders/31');
  expect(await screen.findByText('Pick-up point: Librairie du Centre, Veldstraat 12, 9000 Gent')).toBeTruthy();
  expect(screen.getByText('Your address: Korenmarkt 3, 9000 Gent')).toBeTruthy();
  expect(screen.getByText(/Mondial Relay Point Relais · €3\.90/)).toBeTruthy();
  // named once: no mode line repeating the method above the block
  expect(screen.getAllByText(/Mondial Relay Point Relais/)).toHaveLength(1);
  expect(screen.queryByTestId('order-mode')).toBeNull();
});

test('order detail: a click & collect order has no delivery section', async () => {
  server.use(http.get(`${API}/orders/31`, () => HttpResponse.json(data.order)));
  render({'orders/[id]': OrderScreen}, '/orders/31');
  expect(await screen.findByTestId('order-status')).toBeTruthy();
  expect(screen.queryByTestId('order-delivery')).toBeNull();
  expect(screen.getByTestId('order-mode')).toBeTruthy();
});
