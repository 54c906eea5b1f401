/** CloudWatch's limits that the metric documents and requests keep to. */

/** Dimensions per metric, in an EMF dimension set and in a PutMetricData datum. */
export const MAX_DIMENSIONS_PER_METRIC = 30;
/** PutMetricData: metric datums in one request. */
export const PUT_METRIC_DATA_MAX_DATUMS = 1000;
/** PutMetricData: bytes of one request's body ("1 MB"; read as 10^6 to stay on the safe side). */
export const PUT_METRIC_DATA_MAX_BYTES = 1_000_000;
/** Namespace length, both ways in. */
export const NAMESPACE_MAX_LENGTH = 255;
