import type { Migration } from './migration';

export const migration: Migration = {
  name: '0007_final_decisions',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  -- Decisions and comments are final: recorded once, never edited or removed.
  CREATE TRIGGER approval_decisions_final_update BEFORE UPDATE ON approval_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are final'); END;
  CREATE TRIGGER approval_decisions_final_delete BEFORE DELETE ON approval_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are final'); END;
  CREATE TRIGGER approval_comments_final_update BEFORE UPDATE ON approval_comments
    BEGIN SELECT RAISE(ABORT, 'comments are final'); END;
  CREATE TRIGGER approval_comments_final_delete BEFORE DELETE ON approval_comments
    BEGIN SELECT RAISE(ABORT, 'comments are final'); END;
  -- A request changes only once, from pending to how it closed.
  CREATE TRIGGER approval_requests_close_once BEFORE UPDATE ON approval_requests
    WHEN OLD.status <> 'pending' OR NEW.id <> OLD.id OR NEW.payload <> OLD.payload OR NEW.kind <> OLD.kind
      OR NEW.lane <> OLD.lane OR NEW.required_approvals <> OLD.required_approvals OR NEW.title <> OLD.title
    BEGIN SELECT RAISE(ABORT, 'a closed request is final'); END;
  `,
  postgres: `
  CREATE TRIGGER approval_decisions_final BEFORE UPDATE OR DELETE ON approval_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change('decisions are final');
  CREATE TRIGGER approval_decisions_no_truncate BEFORE TRUNCATE ON approval_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('decisions are final');
  CREATE TRIGGER approval_comments_final BEFORE UPDATE OR DELETE ON approval_comments
    FOR EACH ROW EXECUTE FUNCTION refuse_change('comments are final');
  CREATE TRIGGER approval_comments_no_truncate BEFORE TRUNCATE ON approval_comments
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('comments are final');
  CREATE TRIGGER approval_requests_close_once BEFORE UPDATE ON approval_requests
    FOR EACH ROW WHEN (OLD.status <> 'pending' OR NEW.id <> OLD.id OR NEW.payload <> OLD.payload
      OR NEW.kind <> OLD.kind OR NEW.lane <> OLD.lane OR NEW.required_approvals <> OLD.required_approvals
      OR NEW.title <> OLD.title)
    EXECUTE FUNCTION refuse_change('a closed request is final');
  `,
};
