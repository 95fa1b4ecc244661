package io.flexrig.core.profile;

import java.util.List;

/**
 * The vendor's published figures for the model at its stock setting.
 *
 * @param powerW rated wall power in watts
 * @param hashrateThs rated hashrate in TH/s; 0 for GPU machines
 * @param efficiencyJPerTh rated efficiency in J/TH; 0 for GPU machines
 * @param gpuCount number of GPUs; 0 for ASIC miners
 * @param gpuTdpW board power (TDP) of one GPU in watts; 0 for ASIC miners
 * @param references where the figures come from (spec sheet names), for auditors
 */
public record Nameplate(
    double powerW,
    double hashrateThs,
    double efficiencyJPerTh,
    int gpuCount,
    double gpuTdpW,
    List<String> references) {

  public Nameplate {
    references = List.copyOf(references);
  }
}
