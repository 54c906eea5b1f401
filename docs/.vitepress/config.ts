import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

const API_DIR = fileURLToPath(new URL('../api/', import.meta.url));
/** Where the site is published: https://rxjs-kinesis.github.io/rxjs-kinesis/ (package.json's homepage). */
export const BASE = '/rxjs-kinesis/';
/** The benchmarks page is written by the benchmark work; list it once it exists. */
const BENCHMARKS = existsSync(fileURLToPath(new URL('../benchmarks.md', import.meta.url)));

/** The recipes, in the order a new user meets the questions. Titles are the questions users ask. */
export const RECIPES: DefaultTheme.SidebarItem[] = [
  { text: 'How do I send IoT events keyed by device id?', link: '/recipes/iot-device-events' },
  { text: 'How do I spot and fix a hot shard?', link: '/recipes/hot-shard' },
  { text: 'How do I stream a huge file in bounded memory?', link: '/recipes/huge-file' },
  { text: 'How do I resume a file after a crash without losing lines?', link: '/recipes/resume-file' },
  { text: 'How do I commit Kafka offsets only for what reached Kinesis?', link: '/recipes/kafka-offsets' },
  { text: 'How do I delete SQS messages only after they reached Kinesis?', link: '/recipes/sqs-delete' },
  { text: 'How do I keep events of one key in order?', link: '/recipes/key-order' },
  { text: 'How do I send from a Node stream pipeline?', link: '/recipes/node-streams' },
  { text: 'How do I watch retries and throttles live?', link: '/recipes/watch-signals' },
  { text: 'How do I see my producer in Grafana or OpenTelemetry?', link: '/recipes/otel-metrics' },
  { text: 'How do I get CloudWatch metrics from Lambda?', link: '/recipes/lambda-emf' },
  { text: 'What do I do with values that failed?', link: '/recipes/failed-values' },
  { text: 'How do I shut down gracefully in a container or Lambda?', link: '/recipes/graceful-shutdown' },
  { text: 'How do I send clickstream from a browser with temporary credentials?', link: '/recipes/browser-clickstream' },
  { text: 'How do I test my pipeline locally with real throttling?', link: '/recipes/local-throttling' },
  { text: 'How do I use the stages on their own?', link: '/recipes/stages' },
  { text: 'How do several processes share one shard budget?', link: '/recipes/shared-limits' },
  { text: 'Which aggregation settings suit Lambda consumers?', link: '/recipes/aggregation-lambda' },
];

/** Sidebar of the generated API reference: one group per module, one link per page typedoc wrote. */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const modules = [
    { text: "'rxjs-kinesis'", dir: 'rxjs-kinesis' },
    { text: "'rxjs-kinesis/kpl'", dir: 'rxjs-kinesis/kpl' },
    { text: "'rxjs-kinesis/kinesis'", dir: 'rxjs-kinesis/kinesis' },
    { text: "'rxjs-kinesis/testing'", dir: 'rxjs-kinesis/testing' },
    { text: "'rxjs-kinesis/otel'", dir: 'rxjs-kinesis/otel' },
    { text: "'rxjs-kinesis/cloudwatch'", dir: 'rxjs-kinesis/cloudwatch' },
  ];
  return modules
    .filter((m) => existsSync(`${API_DIR}${m.dir}`))
    .map((m) => ({
      text: m.text,
      collapsed: true,
      link: `/api/${m.dir}/`,
      items: ['functions', 'classes', 'interfaces', 'type-aliases', 'variables']
        .filter((kind) => existsSync(`${API_DIR}${m.dir}/${kind}`))
        .flatMap((kind) =>
          readdirSync(`${API_DIR}${m.dir}/${kind}`)
            .filter((f) => f.endsWith('.md'))
            .sort()
            .map((f) => ({ text: f.slice(0, -3), link: `/api/${m.dir}/${kind}/${f.slice(0, -3)}` })),
        ),
    }));
}

export default defineConfig({
  title: 'rxjs-kinesis',
  description: 'RxJS operators that make any Observable a reliable producer for Amazon Kinesis Data Streams.',
  base: BASE,
  // Links in head are not rewritten to the base.
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: `${BASE}favicon.svg` }]],
  cleanUrls: false,
  lastUpdated: false,
  // The example app and the scripts are code, not pages.
  srcExclude: ['examples/**', 'scripts/**', 'README.md'],
  themeConfig: {
    nav: [
      { text: 'Get started', link: '/guide/node' },
      { text: 'Concepts', link: '/concepts/pipeline' },
      { text: 'Recipes', link: '/recipes/' },
      { text: 'Options', link: '/reference/options' },
      { text: 'API', link: '/api/' },
    ],
    sidebar: {
      '/api/': [{ text: 'API reference', link: '/api/', items: apiSidebar() }],
      '/': [
        {
          text: 'Get started',
          items: [
            { text: 'In Node', link: '/guide/node' },
            { text: 'In the browser', link: '/guide/browser' },
            { text: 'The clickstream example app', link: '/guide/clickstream-app' },
          ],
        },
        {
          text: 'Concepts',
          items: [
            { text: 'How the producer works', link: '/concepts/pipeline' },
            { text: 'Partition keys and hot shards', link: '/concepts/partition-keys' },
            { text: 'Shard limits', link: '/concepts/shard-limits' },
            { text: 'Ordering', link: '/concepts/ordering' },
            { text: 'At-least-once delivery and duplicates', link: '/concepts/delivery' },
            { text: 'Aggregation and consumers', link: '/concepts/aggregation' },
            { text: 'Backpressure', link: '/concepts/backpressure' },
            { text: 'Metrics', link: '/concepts/metrics' },
          ],
        },
        { text: 'Recipes', link: '/recipes/', items: RECIPES },
        {
          text: 'Reference',
          items: [
            { text: 'Options', link: '/reference/options' },
            { text: 'Outcomes and signals', link: '/reference/signals' },
            { text: 'Browser bundle size', link: '/reference/browser-size' },
            ...(BENCHMARKS ? [{ text: 'Benchmarks', link: '/benchmarks' }] : []),
            { text: 'API (generated)', link: '/api/' },
          ],
        },
      ],
    },
    outline: { level: [2, 3] },
    search: { provider: 'local' },
  },
});
