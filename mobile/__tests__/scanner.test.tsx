/**
 * The onboarding's in-app QR scanner, with expo-camera replaced by a fake
 * camera whose scans the tests trigger, and the API mocked by msw.
 * @jest-environment-options {"customExportConditions":["node","require","react-native"]}
 */
import React from 'react';
import {Platform} from 'react-native';
import {QueryClientProvider} from '@tanstack/react-query';
import {Slot} from 'expo-router';
import {act, renderRouter, screen, fireEvent, waitFor} from 'expo-router/testing-library';
import {http, HttpResponse} from 'msw';

import Onboarding from '../app/onboarding';
import i18n from '../src/i18n';
import {makeQueryClient} from '../src/queryClient';
import {getSession} from '../src/session';
import {API, setUpApiServer} from './apiServer';

type Scan = {type: string; data: string};
type CameraProps = {onBarcodeScanned?: (scan: Scan) => void; barcodeScannerSettings?: {barcodeTypes: string[]}};

// What the fake camera was given (the last render) and what it answers.
const mockCamera = {
  granted: true,
  available: true,
  requests: 0,
  props: null as CameraProps | null,
};

jest.mock('expo-camera', () => {
  const {createElement} = require('react');
  const {View} = require('react-native');
  const permission = () => ({granted: mockCamera.granted, status: mockCamera.granted ? 'granted' : 'denied',
    canAskAgain: false, expires: 'never'});
  function CameraView(props: CameraProps) {
    mockCamera.props = props;
    return createElement(View, {testID: 'fake-camera'});
  }
  CameraView.isAvailableAsync = async () => mockCamera.available;
  return {
    CameraView,
    useCameraPermissions: () => [null, async () => {
      mockCamera.requests += 1;
      return permission();
    }, async () => permission()],
  };
});

const {server} = setUpApiServer();
const posted: unknown[] = [];

afterEach(() => jest.restoreAllMocks()); // Platform.OS
beforeEach(() => {
  Object.assign(mockCamera, {granted: true, available: true, requests: 0, props: null});
  posted.length = 0;
  server.use(http.post(`${API}/qr-scans`, async ({request}) => {
    const {code} = (await request.json()) as {code: string};
    posted.push(code);
    return code === 'GNT'
      ? HttpResponse.json({shop: 'GNT', shop_name: 'Ghent', first_order_code: 'HELLO-GNT'}, {status: 201})
      : HttpResponse.json({type: 'x', title: 'Unknown', status: 404, code: 'unknown_shop_code'}, {status: 404});
  }));
});

function render() {
  const client = makeQueryClient({test: true});
  function Layout() {
    return <QueryClientProvider client={client}><Slot /></QueryClientProvider>;
  }
  return renderRouter({_layout: Layout, onboarding: Onboarding, index: () => null}, {initialUrl: '/onboarding'});
}

async function openScanner() {
  fireEvent.press(await screen.findByTestId('scan-open'));
  await screen.findByTestId('fake-camera');
}

// Like the camera: a frame showing a QR code, reported when a handler is set.
function scan(data: string) {
  act(() => mockCamera.props?.onBarcodeScanned?.({type: 'qr', data}));
}

test('permission granted: the scanned QR URL records the scan once and shows the welcome code', async () => {
  render();
  await openScanner();
  expect(mockCamera.requests).toBe(1);
  expect(mockCamera.props!.barcodeScannerSettings).toEqual({barcodeTypes: ['qr']});
  // the camera sees the code on several frames before the screen changes
  act(() => {
    mockCamera.props!.onBarcodeScanned!({type: 'qr', data: 'https://urban-therapy.be/app?shop=GNT'});
    mockCamera.props!.onBarcodeScanned!({type: 'qr', data: 'https://urban-therapy.be/app?shop=GNT'});
  });
  expect(await screen.findByText(/Welcome from Ghent! .*HELLO-GNT/)).toBeTruthy();
  expect(posted).toEqual(['GNT']);
  expect(screen.queryByTestId('fake-camera')).toBeNull();
  expect(screen.getByTestId('shop-code').props.value).toBe('GNT');
  await waitFor(() => expect(getSession().welcomeCode).toBe('HELLO-GNT'));
});

test('a scan while a typed code is being sent is ignored', async () => {
  let release = () => {};
  const answered = new Promise<void>((resolve) => { release = resolve; });
  server.use(http.post(`${API}/qr-scans`, async ({request}) => {
    posted.push(((await request.json()) as {code: string}).code);
    await answered;
    return HttpResponse.json({shop: 'GNT', shop_name: 'Ghent', first_order_code: 'HELLO-GNT'}, {status: 201});
  }));
  render();
  await openScanner();
  fireEvent.changeText(screen.getByTestId('shop-code'), 'GNT');
  fireEvent.press(screen.getByTestId('shop-code-submit'));
  await waitFor(() => expect(posted).toEqual(['GNT']));
  scan('BXL');
  release();
  expect(await screen.findByText(/Welcome from Ghent!/)).toBeTruthy();
  expect(posted).toEqual(['GNT']);
  expect(screen.getByTestId('shop-code').props.value).toBe('GNT');
});

test('an unknown shop code read by the scanner: the API says so, the scanner can be opened again', async () => {
  render();
  await openScanner();
  scan('urbantherapy://onboarding?code=NOPE');
  expect(await screen.findByText('We do not know this shop code.')).toBeTruthy();
  expect(posted).toEqual(['NOPE']);
  await openScanner();
  scan('GNT');
  expect(await screen.findByText(/Welcome from Ghent!/)).toBeTruthy();
  expect(posted).toEqual(['NOPE', 'GNT']);
});

test("another QR code is not ours: a message, nothing posted, the camera stays open until cancelled", async () => {
  render();
  await openScanner();
  scan('https://example.com/menu');
  expect(await screen.findByText('This is not an Urban Therapy code. Scan the QR code of one of our shops.')).toBeTruthy();
  expect(screen.getByTestId('fake-camera')).toBeTruthy();
  fireEvent.press(screen.getByTestId('scan-cancel'));
  expect(screen.queryByTestId('fake-camera')).toBeNull();
  expect(screen.queryByText(/not an Urban Therapy code/)).toBeNull();
  expect(posted).toEqual([]);
});

test('permission refused: a clear message, and the typed code still works', async () => {
  mockCamera.granted = false;
  await i18n.changeLanguage('fr');
  render();
  fireEvent.press(await screen.findByTestId('scan-open'));
  expect(await screen.findByText(/Cette app n'a pas accès à l'appareil photo/)).toBeTruthy();
  expect(screen.queryByTestId('fake-camera')).toBeNull();
  fireEvent.changeText(screen.getByTestId('shop-code'), 'GNT');
  fireEvent.press(screen.getByTestId('shop-code-submit'));
  expect(await screen.findByText(/Bienvenue de la part de Ghent/)).toBeTruthy();
  expect(posted).toEqual(['GNT']);
});

test('web page without a camera: no permission asked, a message, typing stays', async () => {
  jest.replaceProperty(Platform, 'OS', 'web');
  mockCamera.available = false;
  render();
  fireEvent.press(await screen.findByTestId('scan-open'));
  expect(await screen.findByText('No camera is available here: type the code written under the QR code.')).toBeTruthy();
  expect(mockCamera.requests).toBe(0);
  expect(screen.getByTestId('shop-code')).toBeTruthy();
});
