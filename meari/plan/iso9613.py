"""Outdoor propagation: ISO 9613-1 air absorption, spherical spreading, foliage.

All functions are pure and vectorised over numpy arrays. Formulas follow
ISO 9613-1:1993 "Acoustics - Attenuation of sound during propagation outdoors -
Part 1: Calculation of the absorption of sound by the atmosphere", clauses 6.2-6.3
and Annex B (saturation vapour pressure). Reference values the tests pin (Table 1,
20 C, 70 % RH, 101.325 kPa): 500 Hz 2.80, 1 kHz 4.98, 2 kHz 9.02, 4 kHz 22.9,
8 kHz 76.6 dB/km at the exact midband frequencies.
"""

from __future__ import annotations

import numpy as np

from meari.errors import MeariError

#: Reference ambient pressure p_r, kPa (ISO 9613-1, 6.2).
P_REF_KPA = 101.325
#: Reference air temperature T_0, K (20 C).
T_REF_K = 293.15
#: Triple-point isotherm temperature T_01, K (ISO 9613-1, Annex B).
T_TRIPLE_K = 273.16
#: ISO 9613-1 states its accuracy for these ranges (clause 7); outside them the formula still runs.
VALID_TEMP_C = (-20.0, 50.0)
VALID_RH = (10.0, 100.0)
VALID_PRESSURE_KPA = (0.0, 200.0)

#: Hoover (1961) foliage attenuation coefficient, dB per metre per Hz^(1/3), as given by
#: Bies & Hansen, *Engineering Noise Control* (p. 227 in the edition Arup's Strutt help cites):
#: A = 0.01 r f^(1/3), f in Hz, r the path length through trees in m.
FOLIAGE_COEFF = 0.01
#: Default cap on the foliage path, m. ISO 9613-2:1996 Annex A counts at most 200 m of foliage:
#: beyond that sound reaches the listener over the canopy, so attenuation stops growing.
FOLIAGE_CAP_M = 200.0


def check_conditions(temp_c: float, rh_pct: float, pressure_kpa: float) -> list[str]:
    """Reject impossible atmospheres; return notes for ones outside ISO 9613-1's stated accuracy range."""
    for name, v in (("temperature", temp_c), ("relative humidity", rh_pct), ("pressure", pressure_kpa)):
        if not np.isfinite(v):
            raise MeariError(f"{name} must be a finite number, got {v}", name)
    if not -50.0 <= temp_c <= 60.0:
        raise MeariError(f"{temp_c} C is outside the supported -50..60 C (air at the ground has been measured from "
                         "-89 C to 57 C; ISO 9613-1 is stated for -20..50 C)", "temperature")
    if not 0.0 <= rh_pct <= 100.0:
        raise MeariError(f"{rh_pct} % must be between 0 and 100", "relative humidity")
    if not 30.0 <= pressure_kpa <= 110.0:
        raise MeariError(f"{pressure_kpa} kPa is not the air at a loudspeaker on the ground: station pressure runs "
                         "from about 33 kPa (Everest's summit) to 108.5 kPa (the highest sea-level reading); "
                         "give 30..110 kPa", "pressure")
    notes = []
    if not VALID_TEMP_C[0] <= temp_c <= VALID_TEMP_C[1]:
        notes.append(f"temperature {temp_c} C is outside ISO 9613-1's stated accuracy range -20..50 C")
    if rh_pct < VALID_RH[0]:
        notes.append(f"relative humidity {rh_pct} % is below ISO 9613-1's stated accuracy range 10..100 %")
    return notes


def molar_concentration_h2o(temp_c: float, rh_pct: float, pressure_kpa: float) -> float:
    """Molar concentration of water vapour h, in percent (ISO 9613-1 Annex B, eq. B.1-B.3).

    h = h_r (p_sat / p_r) / (p_a / p_r), with p_sat / p_r = 10^C and
    C = -6.8346 (T_01 / T)^1.261 + 4.6151.
    """
    t = temp_c + 273.15
    c = -6.8346 * (T_TRIPLE_K / t) ** 1.261 + 4.6151
    return rh_pct * 10.0**c / (pressure_kpa / P_REF_KPA)


def relaxation_frequencies(temp_c: float, rh_pct: float, pressure_kpa: float) -> tuple[float, float]:
    """Oxygen and nitrogen relaxation frequencies f_rO, f_rN in Hz (ISO 9613-1 eq. 3 and 4)."""
    t = temp_c + 273.15
    h = molar_concentration_h2o(temp_c, rh_pct, pressure_kpa)
    pr = pressure_kpa / P_REF_KPA
    fro = pr * (24.0 + 4.04e4 * h * (0.02 + h) / (0.391 + h))
    frn = pr * (t / T_REF_K) ** -0.5 * (9.0 + 280.0 * h * np.exp(-4.170 * ((t / T_REF_K) ** (-1.0 / 3.0) - 1.0)))
    return float(fro), float(frn)


def air_absorption_db_per_km(
    freq_hz: np.ndarray | float, temp_c: float = 20.0, rh_pct: float = 70.0, pressure_kpa: float = P_REF_KPA
) -> np.ndarray:
    """Pure-tone atmospheric attenuation coefficient alpha in dB/km (ISO 9613-1 eq. 5).

    alpha = 8.686 f^2 [1.84e-11 (p_r/p_a) (T/T_0)^(1/2)
            + (T/T_0)^(-5/2) (0.01275 e^(-2239.1/T) / (f_rO + f^2/f_rO)
                              + 0.1068 e^(-3352.0/T) / (f_rN + f^2/f_rN))]  dB/m
    For octave bands the pure-tone value at the exact midband frequency is used
    (ISO 9613-2:1996, 7.2 does the same).
    """
    check_conditions(temp_c, rh_pct, pressure_kpa)
    f = np.asarray(freq_hz, dtype=float)
    if np.any(~np.isfinite(f)) or np.any(f <= 0):
        raise MeariError("frequencies must be positive", "frequency")
    t = temp_c + 273.15
    tr = t / T_REF_K
    fro, frn = relaxation_frequencies(temp_c, rh_pct, pressure_kpa)
    per_m = (
        8.686
        * f**2
        * (
            1.84e-11 * (P_REF_KPA / pressure_kpa) * tr**0.5
            + tr**-2.5
            * (0.01275 * np.exp(-2239.1 / t) / (fro + f**2 / fro) + 0.1068 * np.exp(-3352.0 / t) / (frn + f**2 / frn))
        )
    )
    return per_m * 1000.0


def spreading_db(distance_m: np.ndarray) -> np.ndarray:
    """Spherical spreading loss relative to 1 m: 20 log10(r / 1 m) (point source, free field)."""
    return 20.0 * np.log10(np.asarray(distance_m, dtype=float))


def foliage_db(freq_hz: np.ndarray, distance_m: np.ndarray, cap_m: float = FOLIAGE_CAP_M) -> np.ndarray:
    """Excess attenuation through forest (Hoover): 0.01 * min(r, cap) * f^(1/3) dB.

    Broadcasts over distance x band: ``distance_m`` shape (N,), ``freq_hz`` shape (B,)
    gives (N, B). ``cap_m`` is the most foliage the path crosses (default 200 m,
    the ISO 9613-2 Annex A limit); use the actual depth of woodland if smaller.
    """
    if not np.isfinite(cap_m) or cap_m < 0:
        raise MeariError(f"{cap_m} m must be zero or positive", "forest depth")
    r = np.minimum(np.asarray(distance_m, dtype=float), cap_m)
    return FOLIAGE_COEFF * r[..., None] * np.asarray(freq_hz, dtype=float) ** (1.0 / 3.0)
