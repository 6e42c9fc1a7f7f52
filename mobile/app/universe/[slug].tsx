import React from 'react';
import {Stack, useLocalSearchParams} from 'expo-router';

import {useUniverses} from '../../src/api/queries';
import {Catalogue} from '../../src/components/Catalogue';
import {Body, Screen, Title} from '../../src/components/ui';

export default function UniverseScreen() {
  const {slug} = useLocalSearchParams<{slug: string}>();
  const universes = useUniverses();
  const universe = universes.data?.items.find((u) => u.slug === slug);
  return (
    <Screen testID="universe">
      <Stack.Screen options={{title: universe?.name ?? ''}} />
      {universe ? <Title>{universe.name}</Title> : null}
      {universe?.description ? <Body muted>{universe.description}</Body> : null}
      <Catalogue base={{universe: slug}} />
    </Screen>
  );
}
