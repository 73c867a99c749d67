import { compileRule, DETECTOR_PRESETS, PRESET_NAMES, MS, samplesIn, MONDAY_ORIGIN_MS, type PresetName, type SeasonalLayout } from '@costwatch/detection';
import { RuleDetector } from '../detectors/rule.detector';
import type { SeriesDetectorFactory } from '../detectors/series-detector';
import {
  DEFAULT_PARAMS,
  DetectorSpecError,
  parseDetectorParams,
  splitDetectorSpec,
  type DetectorParams,
  type DetectorParamsInput,
} from './detector-params';

export interface DetectorDefinition {
  /** The spec as given (preset name plus overrides). */
  readonly name: string;
  readonly params: DetectorParams;
  readonly create: SeriesDetectorFactory;
}

/** Resolves `name` or `name:key=value,…` to a validated detector. */
export function resolveDetector(spec: string): DetectorDefinition {
  const { name, overrides } = splitDetectorSpec(spec);
  if (!(name in DETECTOR_PRESETS)) {
    throw new DetectorSpecError(`unknown detector "${name}" (known: ${PRESET_NAMES.join(', ')})`);
  }
  // Typed as the harness's input, so a shipped preset naming an unknown parameter fails to compile.
  const preset: Partial<DetectorParamsInput> = DETECTOR_PRESETS[name as PresetName].params;
  const params = parseDetectorParams({ ...DEFAULT_PARAMS, ...preset, ...overrides }, spec);
  return { name: spec, params, create: buildFactory(spec, params) };
}

/** The seasonal layout for a series: `auto` is weekly for steps of 30 minutes or more, else daily. */
export function seasonalLayoutFor(params: DetectorParams, stepMs: number): SeasonalLayout | null {
  if (params.period === 'off' || params.period === 0) return null;
  const periodMs = params.period === 'auto' ? (stepMs >= 30 * MS.minute ? MS.week : MS.day) : params.period;
  const slotMs = Math.max(stepMs, params.slot);
  return { periodMs, slotMs, originMs: MONDAY_ORIGIN_MS };
}

export function buildFactory(label: string, params: DetectorParams): SeriesDetectorFactory {
  return ({ stepMs }) => {
    const rule = compileRule({
      name: label,
      expression: params.rule,
      expected: params.expected,
      minHistory: samplesIn(params.minHistory, stepMs, 1),
      scaleFloor: { relative: params.floor, absolute: params.floorAbs },
      firstSeen: params.firstSeen === null ? null : { minObserved: params.firstSeen },
      dropToZero: params.dropToZero === null ? null : { minExpected: params.dropToZero },
      recurring: params.recurring === null ? null : { tolerance: params.recurring },
      zeroInflated: params.zeroInflated === 'on',
    });
    return new RuleDetector({
      rule,
      windowMs: params.window,
      seasonal: seasonalLayoutFor(params, stepMs),
      refreshMs: params.refresh,
      ewmaHalfLifeSamples: params.halfLife / stepMs,
      halfSpaceTrees: {
        trees: params.hstTrees,
        depth: params.hstDepth,
        windowSize: samplesIn(params.hstWindow, stepMs, 16),
        shingle: params.hstShingle,
        seed: params.seed,
      },
      drift: params.drift > 0 ? { delta: params.drift } : null,
      skipLeadingZeros: params.leadingZeros === 'skip',
    });
  };
}
