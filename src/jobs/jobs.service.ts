import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { InvitationsService } from '../invitations/invitations.service';
import { MailService } from '../mail/mail.service';
import { RequestsService } from '../requests/requests.service';
import { RemindersService } from '../visits/reminders.service';

interface Job {
  name: string;
  cron: string;
  run(): Promise<number>;
}

/** Work queued on demand by a feature, with the job's data. */
export interface QueueHandler<Data extends object> {
  name: string;
  handle(data: Data): Promise<void>;
}

/**
 * Background work, queued and scheduled in PostgreSQL with pg-boss: every instance runs a
 * worker, and each scheduled run is done by one of them.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private boss?: PgBoss;
  private readonly jobs: Job[];
  private readonly queues: QueueHandler<object>[] = [];

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    mail: MailService,
    reminders: RemindersService,
    invitations: InvitationsService,
    requests: RequestsService,
  ) {
    this.jobs = [
      { name: 'mail-dispatch', cron: '* * * * *', run: () => mail.dispatchDue() },
      { name: 'visit-reminders', cron: '*/10 * * * *', run: () => reminders.sendDue() },
      {
        name: 'invitations-expire',
        cron: '*/5 * * * *',
        run: () => invitations.expireUnanswered(),
      },
      { name: 'requests-expire', cron: '7 * * * *', run: () => requests.expireStale() },
    ];
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    const boss = new PgBoss({
      connectionString: (this.dataSource.options as { url?: string }).url,
      schema: 'pgboss',
      application_name: 'health-futures-jobs',
      max: 4,
    });
    boss.on('error', (error) => this.logger.error({ err: error }, 'Job queue error'));
    await boss.start();
    for (const job of this.jobs) {
      await boss.createQueue(job.name);
      await boss.work(job.name, { pollingIntervalSeconds: 1 }, async () => {
        const count = await job.run();
        if (count) this.logger.log({ job: job.name, count }, 'Job done');
      });
      await boss.schedule(job.name, job.cron, {}, { tz: 'Europe/London' });
    }
    for (const queue of this.queues) {
      await boss.createQueue(queue.name);
      await boss.work<object>(queue.name, { pollingIntervalSeconds: 1 }, async (jobs) => {
        for (const job of jobs) await queue.handle(job.data);
      });
    }
    this.boss = boss;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  /** A feature's queue, worked by every instance once background jobs start. */
  register<Data extends object>(queue: QueueHandler<Data>): void {
    this.queues.push(queue as QueueHandler<object>);
  }

  get running(): boolean {
    return this.boss !== undefined;
  }

  /** Queues work on a registered queue; answers the job's id. */
  async enqueue(name: string, data: object): Promise<string | null> {
    if (!this.boss) throw new Error('background jobs are not running (JOBS_ENABLED=false)');
    return this.boss.send(name, data);
  }

  /** Queues a run of a job now (operators, tests); answers its id. */
  async runNow(name: string): Promise<string | null> {
    if (!this.boss) throw new Error('background jobs are not running (JOBS_ENABLED=false)');
    return this.boss.send(name, {});
  }
}
