// What a tapped notification opens (shared by the native push module and
// tests): an order (data.order_id), the idle cart (kind 'cart'), or a
// campaign (kind 'campaign'): its universe, else the home screen. A tapped
// campaign is reported to the API (POST /campaigns/{id}/open) so its
// "opened" figure counts it.
import {api, unwrap} from '../api/client';
import {getSession} from '../session';

type Data = Record<string, unknown> | null | undefined;

function numeric(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

export function orderPath(data: unknown): string | null {
  const id = numeric((data as Data)?.order_id);
  return id ? `/orders/${id}` : null;
}

export function campaignId(data: unknown): number | null {
  const d = data as Data;
  return d?.kind === 'campaign' ? numeric(d.campaign_id) : null;
}

export function notificationPath(data: unknown): string | null {
  const order = orderPath(data);
  if (order) return order;
  const d = data as Data;
  if (d?.kind === 'cart') return '/cart';
  if (campaignId(data)) {
    const slug = d?.universe;
    return typeof slug === 'string' && /^[\w-]+$/.test(slug) ? `/universe/${slug}` : '/';
  }
  return null;
}

/** Reports a tapped campaign (when logged in; never blocks the navigation)
 * and gives the path to open. */
export async function openNotification(data: unknown): Promise<string | null> {
  const id = campaignId(data);
  if (id && getSession().token) {
    await unwrap(api().POST('/api/v1/campaigns/{campaign_id}/open', {params: {path: {campaign_id: id}}}))
      .catch(() => undefined);
  }
  return notificationPath(data);
}
