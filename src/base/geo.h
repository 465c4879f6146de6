/* geo.h: coordinates as integer micro-degrees (WGS-84), parsed exactly from decimal text; distances in metres.
 * Integers keep storage exact and identical on both engines. */
#ifndef LTCI_GEO_H
#define LTCI_GEO_H

#include <stdbool.h>
#include <stdint.h>

/* Parse a decimal degree ("29.985123", "-0.5", "122") with at most 6 decimals into micro-degrees. */
bool geo_parse_e6(const char *s, int64_t *e6);
/* Micro-degrees from a double (API input), rounded to the nearest micro-degree. */
int64_t geo_e6_from_double(double deg);
/* Inside mainland China's bounding box (latitude 3.8-53.6 N, longitude 73.4-135.1 E): a plausible address. */
bool geo_in_china(int64_t lat_e6, int64_t lon_e6);
/* Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m). */
double geo_distance_m(int64_t lat1_e6, int64_t lon1_e6, int64_t lat2_e6, int64_t lon2_e6);

#endif
