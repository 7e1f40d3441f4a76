import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { SendMailOptions } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { OutboxMessage } from './outbox-message.entity';

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** What the service needs of a nodemailer transport. */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
}

export interface Email {
  to: string;
  subject: string;
  body: string;
}

const BATCH_SIZE = 20;
const MAX_BACKOFF_SECONDS = 24 * 3600;

/**
 * E-mail through a transactional outbox: `enqueue` writes the message with the change it
 * belongs to; `dispatchDue` sends what is due, locking rows with SKIP LOCKED so that several
 * instances never send the same message, and retries failures with a growing delay.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private running?: Promise<number>;
  private again = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationShutdown() {
    await this.running;
  }

  async enqueue(manager: EntityManager, emails: Email[]): Promise<void> {
    if (emails.length === 0) return;
    await manager.insert(
      OutboxMessage,
      emails.map((email) => ({ toEmail: email.to, subject: email.subject, body: email.body })),
    );
  }

  /**
   * Sends soon, outside the request that wrote the messages. Whatever this misses (a failure, a
   * stopped instance) the periodic mail job sends later.
   */
  dispatchSoon(): void {
    if (this.config.jobsEnabled) setImmediate(() => void this.dispatchInBackground());
  }

  /** Sends the messages that are due; answers how many were sent. */
  async dispatchDue(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due = await manager
        .createQueryBuilder(OutboxMessage, 'message')
        .where('message.sent_at IS NULL AND message.next_attempt_at <= now()')
        .orderBy('message.created_at')
        .limit(BATCH_SIZE)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      let sent = 0;
      for (const message of due) {
        try {
          await this.transport.sendMail({
            from: this.config.mail.from,
            to: message.toEmail,
            subject: message.subject,
            text: message.body,
          });
          await manager.update(OutboxMessage, message.id, { sentAt: new Date(), lastError: null });
          sent += 1;
        } catch (error) {
          const attempts = message.attempts + 1;
          const delay = Math.min(60 * 2 ** attempts, MAX_BACKOFF_SECONDS);
          await manager.update(OutboxMessage, message.id, {
            attempts,
            lastError: (error as Error).message,
            nextAttemptAt: new Date(Date.now() + delay * 1000),
          });
          this.logger.warn({ messageId: message.id, attempts }, 'An e-mail could not be sent');
        }
      }
      return sent;
    });
  }

  /** One dispatch at a time; a request for another while one runs makes it go round again. */
  private async dispatchInBackground() {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      let sent = 0;
      do {
        this.again = false;
        sent += await this.dispatchDue();
      } while (this.again);
      return sent;
    })();
    try {
      await this.running;
    } catch (error) {
      this.logger.error({ err: error }, 'Sending e-mails failed');
    } finally {
      this.running = undefined;
    }
  }
}
