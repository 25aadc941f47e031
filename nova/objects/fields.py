"""Field types of nova objects: oslo.versionedobjects' fields plus nova's enums."""

from oslo_versionedobjects import fields

# Re-export the oslo field types so object modules import fields from one place.
BooleanField = fields.BooleanField
DateTimeField = fields.DateTimeField
DictOfListOfStringsField = fields.DictOfListOfStringsField
DictOfNullableStringsField = fields.DictOfNullableStringsField
DictOfStringsField = fields.DictOfStringsField
EnumField = fields.EnumField
Enum = fields.Enum
FlexibleBooleanField = fields.FlexibleBooleanField
FloatField = fields.FloatField
IntegerField = fields.IntegerField
IPAddressField = fields.IPAddressField
IPV4AddressField = fields.IPV4AddressField
IPV4NetworkField = fields.IPV4NetworkField
IPV6AddressField = fields.IPV6AddressField
IPV6NetworkField = fields.IPV6NetworkField
IPNetworkField = fields.IPNetworkField
ListOfDictOfNullableStringsField = fields.ListOfDictOfNullableStringsField
ListOfObjectsField = fields.ListOfObjectsField
ListOfStringsField = fields.ListOfStringsField
MACAddressField = fields.MACAddressField
NonNegativeIntegerField = fields.NonNegativeIntegerField
ObjectField = fields.ObjectField
SensitiveStringField = fields.SensitiveStringField
StringField = fields.StringField
UUIDField = fields.UUIDField
Field = fields.Field
FieldType = fields.FieldType
BaseEnumField = fields.BaseEnumField
AutoTypedField = fields.AutoTypedField
