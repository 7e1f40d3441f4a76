import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { Request, Response } from 'express';
import { map, Observable } from 'rxjs';

/**
 * Answers CSV instead of JSON when asked with `?format=csv` or `Accept: text/csv`: the rows of
 * the answer (itself, its `items`, or its `rows`), with a header row of the same names.
 */
@Injectable()
export class CsvInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const wantsCsv =
      request.query.format === 'csv' ||
      (request.headers.accept ?? '').split(',')[0].trim() === 'text/csv';
    if (!wantsCsv) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const rows = (
          Array.isArray(body)
            ? body
            : ((body as { items?: unknown[]; rows?: unknown[] }).items ??
              (body as { rows?: unknown[] }).rows ??
              [])
        ) as Record<string, unknown>[];
        response.setHeader('Content-Type', 'text/csv; charset=utf-8');
        const columns = rows.length ? Object.keys(rows[0]) : [];
        return stringify(rows, { header: true, columns, cast: { date: (d) => d.toISOString() } });
      }),
    );
  }
}
