//! The API's OpenAPI 3.1 document, built with `utoipa` from the same
//! descriptions the datasets give themselves (fields, kinds, values, filters),
//! so the document and the answers cannot drift apart.
use super::{cors, json_answer};
use app::ctx::AppState;
use app::dataset::{Dataset, Filter, Kind};
use app::i18n::Locale;
use app::opendata::rules;
use app::opendata::store as datasets;
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa::openapi::path::{
    HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem, PathsBuilder,
};
use utoipa::openapi::schema::{Array, ComponentsBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, InfoBuilder, LicenseBuilder, OpenApiBuilder, Ref, RefOr,
    Required, ResponseBuilder, ResponsesBuilder,
};
use utoipa::ToSchema;

/// An error, as RFC 9457 describes it.
#[derive(ToSchema)]
#[allow(dead_code)]
struct Problem {
    /// `about:blank`: the status says what went wrong.
    r#type: String,
    /// A short summary, in the reader's language.
    title: String,
    /// The HTTP status.
    status: u16,
    /// What to change in the request.
    detail: String,
}

/// English descriptions: the document is for developers.
const EN: Locale = Locale::En;

fn typed(types: &[Type]) -> SchemaType {
    match types {
        [one] => SchemaType::Type(one.clone()),
        many => many.iter().cloned().collect(),
    }
}

fn kind_schema(k: Kind, nullable: bool, values: &[&str]) -> RefOr<Schema> {
    let null = nullable.then_some(Type::Null);
    match k {
        Kind::Ids | Kind::Texts => {
            let item = if k == Kind::Ids {
                Type::Integer
            } else {
                Type::String
            };
            let mut array = Array::new(ObjectBuilder::new().schema_type(item));
            if nullable {
                array.schema_type = typed(&[Type::Array, Type::Null]);
            }
            array.into()
        }
        _ => {
            let base = match k {
                Kind::Integer => Type::Integer,
                Kind::Boolean => Type::Boolean,
                _ => Type::String,
            };
            let types: Vec<Type> = std::iter::once(base).chain(null).collect();
            let format = match k {
                Kind::DateTime => Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::DateTime,
                )),
                Kind::Date => Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::Date,
                )),
                _ => None,
            };
            let mut o = ObjectBuilder::new()
                .schema_type(typed(&types))
                .format(format);
            if !values.is_empty() {
                let mut all: Vec<serde_json::Value> = values.iter().map(|v| (*v).into()).collect();
                if nullable {
                    all.push(serde_json::Value::Null);
                }
                o = o.enum_values(Some(all));
            }
            o.into()
        }
    }
}

/// A row of a dataset.
fn row_schema(d: &Dataset) -> ObjectBuilder {
    d.fields.iter().fold(
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(EN.t(&format!("data.{}.about", d.name)))),
        |o, f| {
            let schema = match kind_schema(f.kind, f.nullable, f.values) {
                RefOr::T(Schema::Object(mut o)) => {
                    o.description = Some(EN.t(&format!("data.{}.{}", d.name, f.name)));
                    RefOr::T(Schema::Object(o))
                }
                other => other,
            };
            o.property(f.name, schema).required(f.name)
        },
    )
}

/// `{data: [item], links: {next}}`.
fn page_of(item: RefOr<Schema>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("data", Array::new(item))
        .required("data")
        .property(
            "links",
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property(
                    "next",
                    ObjectBuilder::new()
                        .schema_type(typed(&[Type::String, Type::Null]))
                        .description(Some("The next page, while there is one.")),
                )
                .required("next"),
        )
        .required("links")
}

fn query(name: &str, schema: ObjectBuilder, description: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(schema))
        .description(Some(description))
}

fn paging() -> Vec<ParameterBuilder> {
    vec![
        query(
            "limit",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(rules::MAX_LIMIT))
                .default(Some(rules::DEFAULT_LIMIT.into())),
            "Rows per page.",
        ),
        query(
            "after",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(i64::MAX)),
            "The last id of the previous page.",
        ),
    ]
}

fn slug(example: &str) -> ParameterBuilder {
    ParameterBuilder::new()
        .name("slug")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .example(Some(example.into()))
        .description(Some("The process's slug."))
}

fn filter_parameter(d: &Dataset, f: &Filter) -> ParameterBuilder {
    match *f {
        Filter::Id { param, column } => query(
            param,
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(i64::MAX)),
            &format!("Rows whose `{column}` is this id."),
        ),
        Filter::Value { param, column } => query(
            param,
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(
                    d.field(column)
                        .map(|f| f.values)
                        .unwrap_or(&[])
                        .iter()
                        .copied(),
                )),
            &format!("Rows whose `{column}` is this value."),
        ),
        Filter::Words { .. } => query(
            "q",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(rules::MAX_QUERY)),
            "Rows whose text holds every word (accents and case ignored).",
        ),
    }
}

fn problem_response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    )
}

fn ok_response(schema: RefOr<Schema>, paged: bool) -> ResponseBuilder {
    let mut r = ResponseBuilder::new()
        .description("The answer.")
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(schema)).build(),
        )
        .header(
            "ETag",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::String))
                .description(Some(
                    "Send it back in If-None-Match to get 304 if nothing changed.",
                ))
                .build(),
        );
    if paged {
        r = r.header(
            "Link",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::String))
                .description(Some("rel=\"next\": the next page."))
                .build(),
        );
    }
    r
}

fn operation(
    id: &str,
    summary: &str,
    parameters: Vec<ParameterBuilder>,
    ok: ResponseBuilder,
    may_be_missing: bool,
) -> PathItem {
    let mut responses = ResponsesBuilder::new()
        .response("200", ok)
        .response(
            "304",
            ResponseBuilder::new().description("Not modified since the ETag sent."),
        )
        .response("400", problem_response("A parameter is not valid."))
        .response(
            "429",
            problem_response("Too many requests: wait for Retry-After seconds."),
        );
    if may_be_missing {
        responses = responses.response("404", problem_response("No such process or dataset."));
    }
    PathItem::new(
        HttpMethod::Get,
        OperationBuilder::new()
            .operation_id(Some(id))
            .summary(Some(summary))
            .parameters(Some(parameters))
            .responses(responses.build()),
    )
}

/// The whole document; `example` is a process's slug, for trying it.
pub fn build(base_url: &str, example: &str) -> utoipa::openapi::OpenApi {
    let mut components = ComponentsBuilder::new().schema_from::<Problem>();
    let text = || ObjectBuilder::new().schema_type(Type::String);
    let integer = || ObjectBuilder::new().schema_type(Type::Integer);
    let object = || ObjectBuilder::new().schema_type(Type::Object);
    let process = |more: Vec<(&str, RefOr<Schema>)>| {
        let fields: Vec<(&str, RefOr<Schema>)> = vec![
            ("id", integer().into()),
            ("slug", text().into()),
            ("title", text().into()),
            ("description", text().into()),
        ];
        fields
            .into_iter()
            .chain(more)
            .chain([("links", object().into())])
            .fold(object(), |o, (name, schema)| {
                o.property(name, schema).required(name)
            })
    };
    let listed = process(vec![("created_at", kind_schema(Kind::DateTime, true, &[]))]);
    let dataset_summary = [
        ("name", text().into()),
        ("title", text().into()),
        ("description", text().into()),
        ("rows", kind_schema(Kind::Integer, true, &[])),
        ("modified", kind_schema(Kind::DateTime, true, &[])),
        ("links", object().into()),
    ]
    .into_iter()
    .fold(object(), |o, (name, schema): (&str, RefOr<Schema>)| {
        o.property(name, schema).required(name)
    });
    let axis = object()
        .property("id", integer())
        .required("id")
        .property("name", text())
        .required("name");
    let process_detail = process(vec![
        ("axes", Array::new(axis).into()),
        ("license", text().into()),
        ("datasets", Array::new(dataset_summary).into()),
    ]);
    let mut paths = PathsBuilder::new()
        .path(
            "/api/v1/processes",
            operation(
                "list_processes",
                "The co-creation processes, page by page.",
                paging(),
                ok_response(page_of(listed.into()).into(), true),
                false,
            ),
        )
        .path(
            "/api/v1/processes/{slug}",
            operation(
                "get_process",
                "One process, with its datasets.",
                vec![slug(example)],
                ok_response(process_detail.into(), false),
                true,
            ),
        );
    for d in datasets::all() {
        let name = format!("{}_row", d.name);
        components = components.schema(name.clone(), row_schema(d));
        let mut parameters = vec![slug(example)];
        parameters.extend(paging());
        parameters.extend(d.filters.iter().map(|f| filter_parameter(d, f)));
        paths = paths.path(
            format!("/api/v1/processes/{{slug}}/{}", d.name),
            operation(
                &format!("list_{}", d.name),
                &EN.t(&format!("data.{}.about", d.name)),
                parameters,
                ok_response(page_of(Ref::from_schema_name(name).into()).into(), true),
                true,
            ),
        );
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("cocrea open data API")
                .version("1.0.0")
                .description(Some(EN.t("api.ref.intro")))
                .license(Some(
                    LicenseBuilder::new()
                        .name("CC-BY-4.0 (the data)")
                        .url(Some(rules::LICENCE_URL))
                        .build(),
                )),
        )
        .servers(Some([utoipa::openapi::Server::new(base_url)]))
        .paths(paths)
        .components(Some(components.build()))
        .build()
}

pub async fn document(state: AppState, headers: HeaderMap) -> Response {
    let example = app::processes::store::after(&state.db, 0, 1)
        .await
        .ok()
        .and_then(|mut rows| rows.pop())
        .map(|r| r.1)
        .unwrap_or_else(|| "plan".to_string());
    let doc = build(&state.settings.base_url, &example);
    let value = serde_json::to_value(&doc).unwrap_or_default();
    let mut res = json_answer(&value, &headers, None);
    cors(res.headers_mut());
    res
}
