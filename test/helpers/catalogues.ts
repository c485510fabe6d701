import type { Catalogue } from './catalogue.ts';

/** Every lesson's catalogue, by slug: test/fixtures/<slug>/catalogue.ts. */
export async function loadCatalogue(slug: string): Promise<Catalogue> {
  const module = (await import(`../fixtures/${slug}/catalogue.ts`)) as { catalogue: Catalogue };
  return module.catalogue;
}
