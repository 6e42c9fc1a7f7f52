// The query client and the offline copy of the catalogue: every successful
// 'catalog' query is saved (dehydrated) and restored at start, so the
// catalogue stays browsable when the network drops.
import {dehydrate, hydrate, QueryClient} from '@tanstack/react-query';

import {ApiError} from './api/client';
import {load, save} from './storage/cache';

const KEY = 'urban.catalog.v1';

export function makeQueryClient(options: {test?: boolean} = {}) {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60 * 1000,
        gcTime: options.test ? Infinity : 24 * 60 * 60 * 1000,
        retry: (count, error) => !options.test && !(error instanceof ApiError) && count < 2,
        networkMode: 'always',
      },
      mutations: {networkMode: 'always'},
    },
  });
}

export function persistCatalogue(client: QueryClient): () => void {
  const saved = load(KEY);
  if (saved) {
    try {
      hydrate(client, JSON.parse(saved));
    } catch {
      // an older format: ignored
    }
  }
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = client.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.query.queryKey[0] !== 'catalog') return;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      save(KEY, JSON.stringify(dehydrate(client, {
        shouldDehydrateQuery: (q) => q.queryKey[0] === 'catalog' && q.state.status === 'success',
      })));
    }, 500);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
