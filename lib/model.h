/*
 * model: a region's model (pipelines/models/NAME.json) read through the jq
 * program pipelines/model.jq, which validates it and flattens it
 * (CONTRACTS "The model").  jq holds numbers as doubles, so every figure
 * travels as a string and is parsed exactly here, never by jq.
 *
 * model_rules returns a reader of the rules CSV; model_meta the model's
 * other sections as (section, key, field) → value.  A model jq rejects
 * stops the program with exit 2 and model.jq's message, or, for what
 * model.jq does not say (a directory, an empty file, JSON that does not
 * parse, a jq that fails silently), a message naming the model file.
 * Both results are the caller's to close or free.
 */
#ifndef ALF_MODEL_H
#define ALF_MODEL_H

#include "csvio.h"
#include "table.h"

struct csvr	*model_rules(const char *model);
struct table	*model_meta(const char *model);
/* a meta value, or NULL; key may be "" */
const char	*meta_get(const struct table *m, const char *section,
		    const char *key, const char *field);
/* the same, but a missing value is a configuration error naming it */
const char	*meta_need(const struct table *m, const char *model,
		    const char *section, const char *key, const char *field);

#endif
