/**
 * The order screen of a click & collect order not collected in time: the
 * expired step (and refunded once the refund went through) in the
 * timeline, in English, French and Dutch, and no cancel button.
 * @jest-environment-options {"customExportConditions":["node","require","react-native"]}
 */
import React from 'react';
import {QueryClientProvider} from '@tanstack/react-query';
import {Slot} from 'expo-router';
import {renderRouter, screen} from 'expo-router/testing-library';
import {http, HttpResponse} from 'msw';
import {setupServer} from 'msw/node';

import OrderScreen from '../app/orders/[id]';
import i18n from '../src/i18n';
import {makeQueryClient} from '../src/queryClient';
import {resetSessionForTests} from '../src/session';
import * as data from './fixtures';

const API = 'http://api.test/api/v1';
const server = setupServer();

beforeAll(() => server.listen({onUnhandledRequest: 'error'}));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => resetSessionForTests({token: 'session-key'}));

function render() {
  const client = makeQueryClient({test: true});
  function Layout() {
    return <QueryClientProvider client={client}><Slot /></QueryClientProvider>;
  }
  return renderRouter({_layout: Layout, 'orders/[id]': OrderScreen}, {initialUrl: '/orders/31'});
}

const steps = [
  {status: 'placed', at: '2026-11-10T10:00:00Z'},
  {status: 'paid', at: '2026-11-10T10:01:00Z'},
  {status: 'preparing', at: null},
  {status: 'ready_for_pickup', at: '2026-11-11T09:00:00Z', detail: 'Ghent'},
  {status: 'expired', at: '2026-11-18T10:00:00Z', detail: 'Ghent'},
];
const refunded = {...data.order, state: 'done', status: 'refunded', timeline: [
  ...steps, {status: 'refunded', at: '2026-11-18T10:00:05Z', detail: '29.90 EUR'}]};
const refunding = {...data.order, state: 'done', status: 'expired', timeline: steps};

function serve(order: object) {
  server.use(http.get(`${API}/orders/31`, () => HttpResponse.json(order)));
}

test('expired then refunded: both steps, the notice, no cancel button', async () => {
  await i18n.changeLanguage('en');
  serve(refunded);
  render();
  expect(await screen.findByText('Follow-up')).toBeTruthy();
  expect(screen.getByText('Not collected in time')).toBeTruthy();
  // the latest status and the last step of the timeline
  expect(screen.getByTestId('order-status')).toHaveTextContent('Refunded');
  expect(screen.getAllByText('Refunded')).toHaveLength(2);
  expect(screen.getByText('29.90 EUR')).toBeTruthy();
  expect(screen.getByText(/You did not collect this order at Ghent in time/)).toBeTruthy();
  expect(screen.getByText(/We refunded €\s?29\.90 to the payment method you used\./)).toBeTruthy();
  expect(screen.queryByText('Cancel the order')).toBeNull();
  expect(screen.queryByText('Return items')).toBeNull();
});

test('expired, refund not made yet: no refunded step, refund under way', async () => {
  await i18n.changeLanguage('en');
  serve(refunding);
  render();
  expect(await screen.findByText(/The refund of €\s?29\.90 .* is under way\./)).toBeTruthy();
  expect(screen.getByTestId('order-status')).toHaveTextContent('Not collected in time');
  expect(screen.queryByText('Refunded')).toBeNull();
  expect(screen.queryByText('Cancel the order')).toBeNull();
});

test('the expired and refunded steps in French and Dutch', async () => {
  await i18n.changeLanguage('fr');
  serve(refunded);
  const {unmount} = render();
  expect(await screen.findByText('Non retirée à temps')).toBeTruthy();
  expect(screen.getAllByText('Remboursée')).toHaveLength(2);
  expect(screen.getByText(/Vous n’avez pas retiré cette commande à Ghent à temps/)).toBeTruthy();
  expect(screen.getByText(/Nous avons remboursé 29,90\s€ sur le moyen de paiement utilisé\./)).toBeTruthy();
  unmount();

  await i18n.changeLanguage('nl');
  serve(refunded);
  render();
  expect(await screen.findByText('Niet op tijd afgehaald')).toBeTruthy();
  expect(screen.getAllByText('Terugbetaald')).toHaveLength(2);
  expect(screen.getByText(/niet op tijd afgehaald in Ghent/)).toBeTruthy();
  expect(screen.getByText(/We hebben € 29,90 terugbetaald/)).toBeTruthy();
});
