// A filterable, paginated product list (universe pages and search).
import React, {useState} from 'react';
import {StyleSheet, View} from 'react-native';
import {useTranslation} from 'react-i18next';

import {ProductQuery, useProducts} from '../api/queries';
import {spacing} from '../theme';
import {ProductGrid} from './ProductCard';
import {Body, Button, Choice, Heading, QueryView} from './ui';

const SORTS = [
  ['name', 'catalogue.sortName'], ['price_asc', 'catalogue.sortPriceAsc'],
  ['price_desc', 'catalogue.sortPriceDesc'], ['new', 'catalogue.sortNew'],
] as const;

export function Catalogue({base, enabled = true}: {base: ProductQuery; enabled?: boolean}) {
  const {t} = useTranslation();
  const [sort, setSort] = useState<ProductQuery['sort']>(base.q ? 'relevance' : 'name');
  const [inStock, setInStock] = useState(false);
  const [onlyNew, setOnlyNew] = useState(false);
  const [limit, setLimit] = useState(24);
  const query: ProductQuery = {...base, sort, limit, ...(onlyNew ? {new: true} : {})};
  const products = useProducts(query, enabled);
  const visible = (items: NonNullable<typeof products.data>['items']) => inStock ? items.filter((p) => p.in_stock) : items;
  return (
    <View style={styles.wrap}>
      <Heading>{t('catalogue.filters')}</Heading>
      <View style={styles.row} role="radiogroup" accessibilityLabel={t('catalogue.sort')}>
        {SORTS.map(([value, key]) => (
          <Choice key={value} label={t(key)} selected={sort === value} onPress={() => setSort(value)} />
        ))}
      </View>
      <View style={styles.row}>
        <Choice label={t('catalogue.inStock')} selected={inStock} onPress={() => setInStock(!inStock)} testID="filter-in-stock" />
        <Choice label={t('catalogue.newOnly')} selected={onlyNew} onPress={() => setOnlyNew(!onlyNew)} testID="filter-new" />
      </View>
      {enabled ? (
        <QueryView query={products}>
          {(page) => (
            <>
              {visible(page.items).length ? <ProductGrid items={visible(page.items)} /> : <Body>{t('catalogue.empty')}</Body>}
              {page.next_cursor ? <Button variant="secondary" title={t('catalogue.more')} onPress={() => setLimit(limit + 24)} /> : null}
            </>
          )}
        </QueryView>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  wrap: {gap: spacing.m},
  row: {flexDirection: 'row', flexWrap: 'wrap', gap: spacing.s},
});
