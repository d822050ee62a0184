interface ProgressBarProps {
  readonly label: string;
  /** Null while the amount of work is not known yet. */
  readonly percent: number | null;
  readonly text: string;
}

/** A labelled progress bar; its value is read out as text ("2 of 3 …"), not just a percentage. */
export function ProgressBar({ label, percent, text }: ProgressBarProps) {
  return (
    <div className="rotation-progress">
      <div
        className={`rotation-progress__track${percent === null ? ' rotation-progress__track--unknown' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
      >
        <div
          className="rotation-progress__fill"
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
      <p className="rotation-progress__text" aria-hidden="true">
        {text}
      </p>
    </div>
  );
}
