import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { printSchema } from 'graphql';
import { schema } from '../api/graphql/schema';

export const schemaFile = path.resolve(import.meta.dirname, '..', '..', 'schema', 'schema.graphql');

export function printedSchema(): string {
  return `${printSchema(schema)}\n`;
}

export async function printSchemaFile(): Promise<string> {
  await writeFile(schemaFile, printedSchema());
  return schemaFile;
}
