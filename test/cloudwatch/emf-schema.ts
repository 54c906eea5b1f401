import Ajv from 'ajv';

/** The units CloudWatch accepts (MetricDatum.Unit), which EMF's `Unit` takes. */
const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits',
  'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
];

/**
 * The structure of an Embedded Metric Format document, from the specification ("Specification: Embedded metric
 * format", CloudWatch user guide): the root holds `_aws` (metadata: `Timestamp` in ms since the epoch and the
 * `CloudWatchMetrics` directives) beside the members the directives name. A directive has a `Namespace`,
 * `Dimensions` (an array of dimension sets, each at most 30 names) and at most 100 metric definitions.
 */
export const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: { type: 'array', minItems: 1, items: { $ref: '#/$defs/directive' } },
      },
    },
  },
  $defs: {
    directive: {
      type: 'object',
      additionalProperties: false,
      required: ['Namespace', 'Dimensions', 'Metrics'],
      properties: {
        Namespace: { type: 'string', minLength: 1, maxLength: 1024 },
        Dimensions: { type: 'array', items: { type: 'array', maxItems: 30, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 250 } } },
        Metrics: { type: 'array', maxItems: 100, items: { $ref: '#/$defs/metric' } },
      },
    },
    metric: {
      type: 'object',
      additionalProperties: false,
      required: ['Name'],
      properties: {
        Name: { type: 'string', minLength: 1, maxLength: 1024 },
        Unit: { enum: UNITS },
        StorageResolution: { enum: [1, 60] },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(EMF_SCHEMA);

/**
 * What is wrong with one EMF line: the schema's errors, then what a schema cannot say, that every name a
 * directive refers to is a root member of the right type (a dimension a string of 1..1024 characters; a metric a
 * number, or an array of at most 100 numbers).
 */
export function emfErrors(line: string): string[] {
  if (line.includes('\n')) return ['a document spans several lines'];
  const document: Record<string, unknown> & { _aws?: unknown } = JSON.parse(line);
  if (!validate(document)) return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  const root: Record<string, unknown> = document;
  const errors: string[] = [];
  for (const directive of document._aws.CloudWatchMetrics) {
    for (const name of directive.Dimensions.flat() as string[]) {
      const value = root[name];
      if (typeof value !== 'string' || value.length === 0 || value.length > 1024) errors.push(`dimension ${name}: ${JSON.stringify(value)}`);
    }
    for (const { Name } of directive.Metrics as { Name: string }[]) {
      const value = root[Name];
      const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
      if (!(ok(value) || (Array.isArray(value) && value.length <= 100 && value.every(ok)))) errors.push(`metric ${Name}: ${JSON.stringify(value)}`);
    }
  }
  return errors;
}
