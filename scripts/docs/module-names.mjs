// TypeDoc plugin: names each module after its import specifier. With one entry point per
// package entry (`packages/core/src/author/index.ts`), TypeDoc would name the modules by path
// ("core/src/author"); users import "@fullon/core/author".
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const match = /^(?:packages\/)?([a-z0-9-]+)\/src(?:\/(.+?))?(?:\/index)?$/.exec(module.name);
      if (match) module.name = `@fullon/${match[1]}${match[2] ? `/${match[2]}` : ''}`;
    }
  });
}
