// Distance sorting of the shops: the device position when the browser (or
// the OS) gives it, else no sorting by distance.
import {useEffect, useState} from 'react';

export type Position = {latitude: number; longitude: number};

export function distanceKm(a: Position, b: Position): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export function usePosition(): Position | null {
  const [position, setPosition] = useState<Position | null>(null);
  useEffect(() => {
    const geo = (globalThis.navigator as Navigator | undefined)?.geolocation;
    if (!geo) return;
    geo.getCurrentPosition((p) => setPosition({latitude: p.coords.latitude, longitude: p.coords.longitude}),
      () => undefined, {timeout: 5000, maximumAge: 600000});
  }, []);
  return position;
}
