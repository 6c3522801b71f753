import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

// React.lazy's own constraint on what it can load.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyComponent = ComponentType<any>;

/** A named export of a module, loaded the first time it renders (React.lazy wants a default export). */
export function lazyNamed<M extends Record<K, AnyComponent>, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<M[K]> {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}
