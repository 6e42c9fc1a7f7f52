import React, {useEffect, useState} from 'react';
import {useTranslation} from 'react-i18next';

import {Catalogue} from '../src/components/Catalogue';
import {Body, Field, Screen, Title} from '../src/components/ui';

export default function SearchScreen() {
  const {t} = useTranslation();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <Screen testID="search">
      <Title>{t('nav.search')}</Title>
      <Field label={t('search.label')} placeholder={t('search.placeholder')} value={text} onChangeText={setText}
        role="searchbox" returnKeyType="search" testID="search-input" autoCorrect={false} />
      {q.length < 2 ? <Body muted>{t('search.hint')}</Body> : <Catalogue key={q} base={{q}} />}
    </Screen>
  );
}
