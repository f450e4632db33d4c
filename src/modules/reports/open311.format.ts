import { XMLBuilder } from 'fast-xml-parser';

/**
 * Open311 GeoReport v2 answers in its two formats: XML (the required one: UTF-8 with the XML
 * declaration, no namespace, a root element holding one element per item) and JSON (the Spark
 * convention: the root's items as an array, or one object for a service definition or the
 * discovery document). Values are what the builders give: null is an empty XML element and a
 * JSON null. Pure.
 */

export type Open311Format = 'xml' | 'json';

export const CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';
const builder = new XMLBuilder({ format: true, suppressEmptyNode: false });

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** A value as XML content: null → '', nested lists → repeated child elements. */
function forXml(value: Value, listItem?: string): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) {
    return { [listItem ?? 'item']: value.map((v) => forXml(v)) };
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, forXml(v, LIST_ITEMS[key])]),
    );
  }
  return value;
}

/** The element name of one item of each list (`attributes` → `attribute`, …). */
const LIST_ITEMS: Record<string, string> = {
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

/** A list answer: `<root><item>…</item>…</root>` or a JSON array. */
export function renderList(
  format: Open311Format,
  root: string,
  item: string,
  items: Record<string, Value>[],
): string {
  if (format === 'json') return JSON.stringify(items);
  return DECLARATION + builder.build({ [root]: { [item]: items.map((i) => forXml(i)) } });
}

/** A one-object answer (a service definition, the discovery document). */
export function renderObject(format: Open311Format, root: string, object: Record<string, Value>) {
  if (format === 'json') return JSON.stringify(object);
  return DECLARATION + builder.build({ [root]: forXml(object) });
}

/** The error answer: `<errors><error><code/><description/></error></errors>` or its JSON array. */
export function renderErrors(
  format: Open311Format,
  errors: { code: number; description: string }[],
): string {
  return renderList(format, 'errors', 'error', errors);
}
