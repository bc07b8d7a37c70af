import type { CliCommand } from '../command';
import { EXIT } from '../exit-codes';
import { messageStore } from '../../engine/state';

export const messagesCommand: CliCommand = {
  name: 'messages',
  summary: 'show the messages KeyTalk servers sent (received during enrollment)',
  usage: ['messages [--unread] [--mark-read]'],
  options: {
    unread: { value: false, description: 'only unread messages' },
    'mark-read': { value: false, description: 'mark the shown messages as read' },
  },
  async run(ctx, args) {
    let list = (await messageStore.list(ctx.home)).sort((a, b) => b.utc.localeCompare(a.utc));
    if (args.options.unread) list = list.filter((m) => !m.read);
    if (ctx.json) ctx.emitList('messages', list);
    else if (!list.length) ctx.say('no messages');
    else for (const m of list) ctx.say(`${m.read ? ' ' : '*'} ${m.utc}  [${m.provider}]  ${m.text}`);
    if (args.options['mark-read'] && list.length)
      await messageStore.markRead(
        ctx.home,
        list.map((m) => m.id),
      );
    return EXIT.ok;
  },
};
