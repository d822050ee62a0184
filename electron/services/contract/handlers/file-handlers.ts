import type { fileCalls } from '../../../../shared/contract/calls/files';
import { ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import type { HandlerServices } from './services';

export function fileHandlers({ saveTargets }: HandlerServices): HandlersOf<typeof fileCalls> {
  return {
    'files.chooseSave': async ({ purpose, suggestedName }) => {
      const chosen = await saveTargets.choose(purpose, suggestedName);
      return chosen.ok ? ok({ target: chosen.value }) : chosen;
    },
    'files.savedFolder': async () => ok({ files: await saveTargets.folderFiles() }),
    'files.saveInFolder': async ({ purpose, name, replace }) => {
      const target = await saveTargets.inFolder(purpose, name, replace);
      return target.ok ? ok({ target: target.value }) : target;
    },
  };
}
