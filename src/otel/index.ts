// `rxjs-kinesis/otel`: a producer's work as OpenTelemetry metrics, under the messaging semantic conventions.
export { instrumentProducer, type InstrumentOptions, type Instrumentation } from './instrument-producer.js';
