// Server data through TanStack Query: one hook per use, keys grouped so the
// catalogue ('catalog', ...) can be saved for offline browsing.
import {useMutation, useQuery, useQueryClient, keepPreviousData} from '@tanstack/react-query';

import {useTranslation} from 'react-i18next';

import {api, unwrap, Schemas} from './client';
import type {paths} from './schema';
import {getSession, setToken, setCartToken} from '../session';

export type ProductQuery = NonNullable<paths['/api/v1/products']['get']['parameters']['query']>;

function useLang() {
  return useTranslation().i18n.language;
}

export function useUniverses() {
  const lang = useLang();
  return useQuery({
    queryKey: ['catalog', 'universes', lang],
    queryFn: () => unwrap(api().GET('/api/v1/universes')),
  });
}

export function useProducts(query: ProductQuery, enabled = true) {
  const lang = useLang();
  return useQuery({
    queryKey: ['catalog', 'products', lang, query],
    queryFn: () => unwrap(api().GET('/api/v1/products', {params: {query}})),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useProduct(id: number) {
  const lang = useLang();
  return useQuery({
    queryKey: ['catalog', 'product', lang, id],
    queryFn: () => unwrap(api().GET('/api/v1/products/{product_id}', {params: {path: {product_id: id}}})),
    enabled: Number.isFinite(id) && id > 0,
  });
}

export function useRecommendations(id: number) {
  const lang = useLang();
  return useQuery({
    queryKey: ['catalog', 'recommendations', lang, id],
    queryFn: () => unwrap(api().GET('/api/v1/products/{product_id}/recommendations',
      {params: {path: {product_id: id}}})),
    enabled: Number.isFinite(id) && id > 0,
  });
}

/** "For you": only for a customer who is logged in. */
export function useForYou() {
  const lang = useLang();
  const {token} = getSession();
  return useQuery({
    queryKey: ['forYou', lang, token],
    queryFn: () => unwrap(api().GET('/api/v1/recommendations')),
    enabled: Boolean(token),
  });
}

export function useShops() {
  return useQuery({
    queryKey: ['catalog', 'shops'],
    queryFn: () => unwrap(api().GET('/api/v1/shops')),
    staleTime: 5 * 60 * 1000,
  });
}

export function useCart() {
  const {token, cartToken} = getSession();
  return useQuery({
    queryKey: ['cart', token, cartToken],
    queryFn: () => unwrap(api().GET('/api/v1/cart')),
  });
}

function useSetCart() {
  const client = useQueryClient();
  return async (cart: Schemas['Cart']) => {
    if (cart.token) await setCartToken(cart.token);
    const {token, cartToken} = getSession();
    client.setQueryData(['cart', token, cartToken], cart);
  };
}

export function useAddToCart() {
  const setCart = useSetCart();
  return useMutation({
    mutationFn: (line: {product_id: number; quantity: number}) =>
      unwrap(api().POST('/api/v1/cart/lines', {body: line})),
    onSuccess: setCart,
  });
}

export function useUpdateLine() {
  const setCart = useSetCart();
  return useMutation({
    mutationFn: ({id, quantity}: {id: number; quantity: number}) =>
      quantity > 0
        ? unwrap(api().PATCH('/api/v1/cart/lines/{line_id}', {params: {path: {line_id: id}}, body: {quantity}}))
        : unwrap(api().DELETE('/api/v1/cart/lines/{line_id}', {params: {path: {line_id: id}}})),
    onSuccess: setCart,
  });
}

export function useCoupon() {
  const setCart = useSetCart();
  return useMutation({
    mutationFn: ({code, remove}: {code: string; remove?: boolean}) =>
      remove
        ? unwrap(api().DELETE('/api/v1/cart/coupons/{code}', {params: {path: {code}}}))
        : unwrap(api().POST('/api/v1/cart/coupons', {body: {code}})),
    onSuccess: setCart,
  });
}

export function useCheckoutOptions(enabled: boolean) {
  const {token} = getSession();
  return useQuery({
    queryKey: ['checkout', 'options', token],
    queryFn: () => unwrap(api().GET('/api/v1/checkout/options')),
    enabled,
  });
}

export function useServicePoints(postalCode: string, carrier?: string) {
  return useQuery({
    queryKey: ['checkout', 'points', postalCode, carrier],
    queryFn: () => unwrap(api().GET('/api/v1/checkout/service-points', {
      params: {query: {postal_code: postalCode, carrier: carrier ?? ''}}})),
    enabled: /^\d{4,5}$/.test(postalCode) && !!carrier,
  });
}

export function usePlaceOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({body, key}: {body: Schemas['CheckoutIn']; key: string}) =>
      unwrap(api().POST('/api/v1/checkout', {body, params: {header: {'Idempotency-Key': key}}})),
    onSuccess: async () => {
      await client.invalidateQueries({queryKey: ['cart']});
      await client.invalidateQueries({queryKey: ['orders']});
    },
  });
}

export function useOrders(enabled = true) {
  const {token} = getSession();
  return useQuery({
    queryKey: ['orders', token],
    queryFn: () => unwrap(api().GET('/api/v1/orders')),
    enabled: enabled && !!token,
  });
}

export function useOrder(id: number, poll = false) {
  const {token} = getSession();
  return useQuery({
    queryKey: ['orders', token, id],
    queryFn: () => unwrap(api().GET('/api/v1/orders/{order_id}', {params: {path: {order_id: id}}})),
    enabled: !!token && id > 0,
    refetchInterval: poll ? 1500 : false,
  });
}

export function useCancelOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(api().POST('/api/v1/orders/{order_id}/cancel', {params: {path: {order_id: id}}})),
    onSuccess: () => client.invalidateQueries({queryKey: ['orders']}),
  });
}

export function useReturnRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({id, body}: {id: number; body: Schemas['ReturnIn']}) =>
      unwrap(api().POST('/api/v1/orders/{order_id}/returns', {params: {path: {order_id: id}}, body})),
    onSuccess: () => client.invalidateQueries({queryKey: ['orders']}),
  });
}

export function useMe() {
  const {token} = getSession();
  return useQuery({
    queryKey: ['me', token],
    queryFn: () => unwrap(api().GET('/api/v1/me')),
    enabled: !!token,
  });
}

/** Logged in: the guest cart's lines move into the customer's cart (the
 * API keeps them apart), then the session is stored and the guest token
 * forgotten, so the screens never see a half-merged cart. */
async function opened(session: Schemas['Session']) {
  let guest: Schemas['Cart'] | null = null;
  if (getSession().cartToken) {
    guest = await unwrap(api().GET('/api/v1/cart')).catch(() => null);
  }
  const headers = {Authorization: `Bearer ${session.token}`};
  for (const line of guest?.lines ?? []) {
    await unwrap(api().POST('/api/v1/cart/lines', {
      body: {product_id: line.product_id, quantity: line.quantity}, headers}));
  }
  for (const code of guest?.coupons ?? []) {
    await unwrap(api().POST('/api/v1/cart/coupons', {body: {code}, headers})).catch(() => null);
  }
  await setCartToken(null);
  await setToken(session.token);
  return session;
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['Login']) => unwrap(api().POST('/api/v1/auth/login', {body})).then(opened),
    onSuccess: () => client.invalidateQueries(),
  });
}

export function useRegister() {
  const client = useQueryClient();
  return useMutation({
    // The API answers the same for a new and a known address (no account
    // enumeration: the owner of a known one is told by e-mail), so the app
    // then logs in with the password just chosen.
    mutationFn: async (body: Schemas['Register']) => {
      await unwrap(api().POST('/api/v1/auth/register', {body}));
      return unwrap(api().POST('/api/v1/auth/login', {body: {email: body.email, password: body.password}})).then(opened);
    },
    onSuccess: () => client.invalidateQueries(),
  });
}

export function usePasswordReset() {
  return useMutation({
    mutationFn: (email: string) => unwrap(api().POST('/api/v1/auth/password-reset', {body: {email}})),
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await unwrap(api().POST('/api/v1/auth/logout'));
      } finally {
        await setToken(null);
        await setCartToken(null);
      }
    },
    onSettled: () => client.removeQueries({predicate: (q) => q.queryKey[0] !== 'catalog'}),
  });
}

export function useUpdateMe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['MeUpdate']) => unwrap(api().PATCH('/api/v1/me', {body})),
    onSuccess: (user) => client.setQueryData(['me', getSession().token], user),
  });
}

export function useDeleteAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await unwrap(api().DELETE('/api/v1/me'));
      await setToken(null);
      await setCartToken(null);
    },
    onSuccess: () => client.removeQueries({predicate: (q) => q.queryKey[0] !== 'catalog'}),
  });
}

export function useQrScan() {
  return useMutation({
    mutationFn: (code: string) => unwrap(api().POST('/api/v1/qr-scans', {body: {code}})),
  });
}

export function useLoyalty() {
  const {token} = getSession();
  const lang = useLang();
  return useQuery({
    queryKey: ['loyalty', token, lang],
    queryFn: () => unwrap(api().GET('/api/v1/loyalty')),
    enabled: !!token,
  });
}

/** Spends the points of one reward for a single-use coupon code. */
export function useRedeemReward() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api().POST('/api/v1/loyalty/rewards')),
    onSuccess: () => client.invalidateQueries({queryKey: ['loyalty']}),
  });
}

export function useReferral() {
  const {token} = getSession();
  const lang = useLang();
  return useQuery({
    queryKey: ['loyalty-referral', token, lang],
    queryFn: () => unwrap(api().GET('/api/v1/loyalty/referral')),
    enabled: !!token,
  });
}

export function usePreferences() {
  const {token} = getSession();
  return useQuery({
    queryKey: ['loyalty-preferences', token],
    queryFn: () => unwrap(api().GET('/api/v1/loyalty/preferences')),
    enabled: !!token,
  });
}

export function useUpdatePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['Preferences']) => unwrap(api().PUT('/api/v1/loyalty/preferences', {body})),
    onSuccess: (preferences) => client.setQueryData(['loyalty-preferences', getSession().token], preferences),
  });
}
