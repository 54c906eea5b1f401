import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Calls `after` once the next operator has taken the value. The producer takes a value
 * synchronously (holds it, or decides it at once), so counters read here match what it holds.
 */
export function afterEach<T>(after: (value: T) => void): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) =>
      source.subscribe({
        next(value) {
          subscriber.next(value);
          after(value);
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
}
