import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { applyCatalogChange, type CatalogChange, type CatalogMode } from '../../app/catalog/edit-catalog';
import { ValidationError } from '../../domain/errors';
import { parseCommandArgs, UsageError } from '../command';
import { withDatabase } from '../database';

export const USAGE = `usage: floorplan catalog add FILE.yaml       add model variants, boxes, serving paths, price components, capacity facts
       floorplan catalog edit FILE.yaml      change some fields of existing ones (named by slug)
       [--json]                              print the changes as JSON (GraphQL's CatalogChange)

FILE has the shape of seeds/*.yaml, with any of these sections:
  variants:         like seeds/catalog.yaml variants (model: an existing model's slug)
  boxes:            like seeds/catalog.yaml boxes
  paths:            like seeds/paths.yaml paths (with their placements, prices, capacity)
  priceComponents:  like a path's prices, plus path: SLUG
  capacityFacts:    like a path's capacity, plus path: SLUG
An edit gives the slug and only the fields to change; a new price amount needs its source and
asOf and is added to the price's history (nothing is overwritten). Everything is checked first:
one problem and nothing is written. Every change is audited. GraphQL: addToCatalog / editCatalog.

Example (bring your own LoRA):
  variants:
    - slug: my-lora
      name: My support-desk LoRA on Llama 3.1 8B
      model: llama-3.1-8b-instruct
      isFineTuned: true
      method: LORA
      weightsLocation: our object store
      weightsExportable: true`;

const WORDS: Record<CatalogChange['entityType'], string> = {
  Box: 'box',
  ModelVariant: 'model variant',
  ServingPath: 'serving path',
  PriceComponent: 'price component',
  CapacityFact: 'capacity fact',
};

export async function runCatalogCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'add' && sub !== 'edit')
    throw new UsageError(sub ? `unknown catalog command "${sub}"` : 'add or edit?');
  const { values, positionals } = parseCommandArgs({
    args: rest,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false } },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('give exactly one YAML file');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Could not read ${file}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    console.error(`${file}: not valid YAML (${(error as Error).message}); nothing was written.`);
    return 2;
  }
  const mode: CatalogMode = sub;
  return withDatabase(async (database) => {
    try {
      const changes = await applyCatalogChange(database.prisma, {
        mode,
        document,
        actor: `cli:${process.env.USER ?? 'local'}`,
        refusal: `${file}: nothing was written`,
      });
      if (values.json) {
        console.log(JSON.stringify({ changes }, null, 2));
        return 0;
      }
      for (const change of changes)
        console.log(
          `${change.action === 'ADDED' ? 'Added' : 'Updated'} ${WORDS[change.entityType]} ${change.slug}`,
        );
      console.log(`${changes.length} change(s) written and audited.`);
      return 0;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      console.error(`${file}: nothing was written:`);
      for (const issue of error.issues) console.error(`  ${issue.path}: ${issue.message}`);
      return 2;
    }
  });
}
