// API answers shaped by the generated schema (a schema change breaks tsc).
import type {Schemas} from '../src/api/client';

const eur = (amount: string): Schemas['Money'] => ({amount, currency: 'EUR'});

export const universes: Schemas['UniverseList'] = {items: [
  {id: 1, name: 'Living', slug: 'living', product_count: 12, description: 'Cushions and throws'},
  {id: 2, name: 'Garden', slug: 'garden', product_count: 4},
]};

export const card: Schemas['ProductCard'] = {
  id: 5, name: 'Jute cushion', price: eur('29.90'), price_varies: false, online_quantity: 4, in_stock: true, new: true,
  slug: 'jute-cushion', image: null, brand: {code: 'UT', name: 'Urban Therapy', kind: 'own_brand'},
  universe: {id: 1, name: 'Living', slug: 'living'},
};

export const products: Schemas['ProductPage'] = {items: [card], next_cursor: null};

export const product: Schemas['ProductDetail'] = {
  id: 5, name: 'Jute cushion', new: true, price: eur('29.90'), images: [], slugs: {en: 'jute-cushion'},
  description: 'Hand-woven in Ghent.', brand: null, universe: {id: 1, name: 'Living', slug: 'living'},
  variants: [{
    id: 5, label: 'Natural', code: 'JC-N', attributes: [], price: eur('29.90'), online_quantity: 4, in_stock: true,
    shops: [
      {shop: 'GHENT', name: 'Ghent', quantity: 3, in_stock: true},
      {shop: 'ANTWERP', name: 'Antwerp', quantity: 1, in_stock: true},
      {shop: 'BRUGES', name: 'Bruges', quantity: 0, in_stock: false},
    ],
  }],
};

export function cart(lines: Schemas['CartLine'][] = [], coupons: string[] = []): Schemas['Cart'] {
  const total = lines.reduce((s, l) => s + Number(l.amount.amount), 0);
  return {
    token: null, lines, coupons, quantity: lines.reduce((s, l) => s + l.quantity, 0),
    untaxed_amount: eur((total / 1.21).toFixed(2)), tax_amount: eur((total - total / 1.21).toFixed(2)),
    delivery_amount: eur('0.00'), total_amount: eur(total.toFixed(2)),
  };
}

export const line: Schemas['CartLine'] = {
  id: 70, product_id: 5, template_id: 5, slug: 'jute-cushion', name: 'Jute cushion', variant_label: 'Sand',
  thumbnail: null, quantity: 1, unit_price: eur('29.90'), amount: eur('29.90'), code: 'JC-N',
};

export const options: Schemas['CheckoutOptions'] = {
  click_collect: [
    {shop: 'GHENT', name: 'Ghent', available: true, ready_by: '2026-11-25', transfer: false},
    {shop: 'LIEGE', name: 'Liège', available: false, ready_by: null, transfer: false},
  ],
  delivery: [{carrier: 'bpost', method: 'bpost:home', name: 'bpost home', price: eur('4.95'), service_point: false}],
};

export const order: Schemas['Order'] = {
  id: 31, number: 'SO-0031', state: 'quotation', status: 'placed', mode: 'click_collect', shop: 'GHENT',
  created_at: '2026-11-24T10:00:00Z', lines: [{name: 'Jute cushion', quantity: 1, amount: eur('29.90'), product_id: 5,
    template_id: 5, slug: 'jute-cushion', variant_label: 'Sand'}],
  untaxed_amount: eur('24.71'), tax_amount: eur('5.19'), total_amount: eur('29.90'), tracking: [],
  timeline: [{status: 'placed', at: '2026-11-24T10:00:00Z'}],
};
