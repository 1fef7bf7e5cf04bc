import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';

/** The process's one Prometheus registry: every part registers its metrics here, /metrics renders it. */
@Injectable()
export class MetricsRegistry extends Registry {}
