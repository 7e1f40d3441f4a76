import { Global, Logger, Module } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MAIL_TRANSPORT, MailService, MailTransport } from './mail.service';

/** SMTP when SMTP_URL is set; otherwise each message is written to the log, for local use. */
function transportFor(config: AppConfig): MailTransport {
  if (config.mail.smtpUrl) return createTransport(config.mail.smtpUrl);
  const logger = new Logger('Mail');
  const json = createTransport({ jsonTransport: true });
  return {
    sendMail: async (message) => {
      const info = await json.sendMail(message);
      logger.log(
        { to: message.to, subject: message.subject, body: message.text },
        'E-mail (not sent: SMTP_URL is not set)',
      );
      return info;
    },
  };
}

@Global()
@Module({
  providers: [
    { provide: MAIL_TRANSPORT, inject: [APP_CONFIG], useFactory: transportFor },
    MailService,
  ],
  exports: [MailService],
})
export class MailModule {}
