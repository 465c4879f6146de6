/* api_feedback.h: handlers for ratings, complaints, family-care attestations and institutional presence
 * (api/feedback.c). Included by api.h. */
#ifndef LTCI_API_FEEDBACK_H
#define LTCI_API_FEEDBACK_H

struct http_req;

/* reference lists for the forms */
int api_feedback_options(struct http_req *r);

/* ratings */
int api_ratings_list(struct http_req *r);
int api_ratings_summary(struct http_req *r);
int api_ratings_link_get(struct http_req *r);
int api_ratings_link_post(struct http_req *r);
int api_visits_rating(struct http_req *r);

/* complaints */
int api_complaints_list(struct http_req *r);
int api_complaints_create(struct http_req *r);
int api_complaints_get(struct http_req *r);
int api_complaints_note(struct http_req *r);
int api_complaints_reply(struct http_req *r);
int api_complaints_close(struct http_req *r);

/* family care and institutional presence */
int api_attestations_list(struct http_req *r);
int api_attestations_create(struct http_req *r);
int api_presence_list(struct http_req *r);
int api_presence_record(struct http_req *r);

#endif
